namespace JiraConfigGen.Tests;

/// <summary>The runtime types the generated code builds on: validation, addresses, and what they print.</summary>
public class JiraConnectionTests
{
    private static readonly JiraSecretReference Token = JiraSecretReference.Environment("JIRA_PROD_TOKEN");

    [Theory]
    [InlineData("contoso.atlassian.net", "https://contoso.atlassian.net/")]
    [InlineData("jira.example.com:8443/jira", "https://jira.example.com:8443/jira/")]
    [InlineData("localhost:2990/jira", "http://localhost:2990/jira/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("127.10.20.30", "http://127.10.20.30/")]
    [InlineData("[::1]:8080", "http://[::1]:8080/")]
    [InlineData("128.0.0.1", "https://128.0.0.1/")]
    public void BaseAddressIsHttpsExceptOnLoopback(string instanceUrl, string expected)
    {
        var connection = new JiraConnection("Production", "automation@contoso.com", instanceUrl, Token);

        Assert.Equal(new Uri(expected), connection.BaseAddress);
        Assert.Equal(new Uri(expected + "rest/api/3/myself"), new Uri(connection.BaseAddress, "rest/api/3/myself"));
    }

    [Theory]
    [InlineData("https://contoso.atlassian.net", "must not include 'https://'; write 'contoso.atlassian.net'")]
    [InlineData("contoso.atlassian.net/", "must not end with '/'")]
    [InlineData("jira.example.com/rest/api/2", "REST path")]
    [InlineData("bob:hunter2@contoso.atlassian.net", "user name or password")]
    [InlineData("", "instanceUrl is empty")]
    [InlineData("jira.example.com/%72est", "decoded, it is 'jira.example.com/rest', and instanceUrl must stop before the REST path")]
    public void InvalidInstanceUrlIsRejectedWithTheGeneratorsReason(string instanceUrl, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new JiraConnection("Production", "automation@contoso.com", instanceUrl, Token));

        Assert.Contains("Jira connection 'Production'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Equal("instanceUrl", error.ParamName);
    }

    [Fact]
    public void InvisibleCharactersOfANicknameAreEscapedInErrors()
    {
        var error = Assert.Throws<ArgumentException>(() => new JiraConnection("Prod\u202Eevil", "automation@contoso.com", "contoso.atlassian.net/", Token));
        var catalog = new JiraConnectionCatalog([new JiraConnection("Ops\u2066bot", "automation@contoso.com", "contoso.atlassian.net", Token)]);
        var missing = Assert.Throws<KeyNotFoundException>(() => catalog.Get("x\u202Ey"));

        Assert.Contains("Jira connection 'Prod\\u202Eevil'", error.Message, StringComparison.Ordinal);
        Assert.Equal("No Jira connection is named 'x\\u202Ey'. Known connections: Ops\\u2066bot.", missing.Message);
    }

    [Fact]
    public void BasicAuthNeedsAUsernameAndBearerDoesNot()
    {
        var error = Assert.Throws<ArgumentException>(() => new JiraConnection("Production", " ", "contoso.atlassian.net", Token));
        Assert.Equal("username", error.ParamName);

        var bearer = new JiraConnection("Build Bot", null, "jira.example.com", Token, JiraAuthKind.Bearer);
        Assert.Equal("Build Bot (bearer token at jira.example.com)", bearer.ToString());
    }

    [Fact]
    public void OtherArgumentsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new JiraConnection(" ", "a@b.c", "contoso.atlassian.net", Token));
        Assert.Throws<ArgumentNullException>(() => new JiraConnection("A", "a@b.c", "contoso.atlassian.net", null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JiraConnection("A", "a@b.c", "contoso.atlassian.net", Token, webhooks: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JiraConnection("A", "a@b.c", "contoso.atlassian.net", Token, (JiraAuthKind)7));
    }

    [Fact]
    public void ToStringNamesTheAccountAndNeverATokenValue()
    {
        var connection = new JiraConnection("Production", "automation@contoso.com", "contoso.atlassian.net", Token, description: "Ops", events: true, webhooks: 4);

        Assert.Equal("Production (automation@contoso.com at contoso.atlassian.net)", connection.ToString());
        Assert.Equal("env:JIRA_PROD_TOKEN", connection.ApiToken.ToString());
        Assert.True(connection.Events);
        Assert.Equal(4, connection.Webhooks);
    }

    [Fact]
    public void SecretReferencesCompareAsTheirSourceDoes()
    {
        Assert.Equal(JiraSecretReference.Configuration("Jira:Prod:ApiToken"), JiraSecretReference.Configuration("jira:prod:apitoken"));
        Assert.NotEqual(JiraSecretReference.Environment("JIRA_TOKEN"), JiraSecretReference.Environment("jira_token"));
        Assert.NotEqual(JiraSecretReference.Environment("X"), JiraSecretReference.File("X"));
        Assert.Equal(
            JiraSecretReference.Configuration("Jira:Prod:ApiToken").GetHashCode(),
            JiraSecretReference.Configuration("JIRA:PROD:APITOKEN").GetHashCode());
        Assert.Equal("file:/run/secrets/jira", JiraSecretReference.File("/run/secrets/jira").ToString());
        Assert.Throws<ArgumentException>(() => JiraSecretReference.Environment("  "));
    }

    [Fact]
    public void CatalogRejectsDuplicateNicknamesAndListsKnownOnes()
    {
        var a = new JiraConnection("Production", "a@b.c", "contoso.atlassian.net", Token);
        var b = new JiraConnection(" production ", "a@b.c", "contoso.atlassian.net", Token);
        Assert.Throws<ArgumentException>(() => new JiraConnectionCatalog([a, b]));

        var many = Enumerable.Range(1, 25).Select(i => new JiraConnection($"c{i}", "a@b.c", "contoso.atlassian.net", Token)).ToArray();
        var error = Assert.Throws<KeyNotFoundException>(() => new JiraConnectionCatalog(many).Get("nope"));
        Assert.EndsWith("c19, c20 and 5 more.", error.Message, StringComparison.Ordinal);

        var empty = Assert.Throws<KeyNotFoundException>(() => new JiraConnectionCatalog([]).Get("nope"));
        Assert.Contains("No connections are declared", empty.Message, StringComparison.Ordinal);
    }
}
