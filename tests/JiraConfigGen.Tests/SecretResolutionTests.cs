using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace JiraConfigGen.Tests;

/// <summary>The three sources, each missing, empty, present and rotated; and a token that cannot be printed.</summary>
public sealed class SecretResolutionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jcg-secrets-").FullName;
    private readonly string _variable = "JCG_TEST_TOKEN_" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void ConfigurationSourceResolvesRotatesAndExplainsWhatIsMissing()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        var resolver = new JiraSecretResolver(configuration);
        JiraConnection connection = Connection(JiraSecretReference.Configuration("Jira:Production:ApiToken"));

        var missing = Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(connection));
        Assert.Equal(JiraSecretProblem.Missing, missing.Problem);
        Assert.Equal("Production", missing.Connection);
        Assert.Contains("configuration key 'Jira:Production:ApiToken' (config:Jira:Production:ApiToken) is not set", missing.Message, StringComparison.Ordinal);
        Assert.Contains("environment variable 'Jira__Production__ApiToken'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Azure Key Vault secret 'Jira--Production--ApiToken'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set \"Jira:Production:ApiToken\"", missing.Message, StringComparison.Ordinal);

        configuration["Jira:Production:ApiToken"] = "   ";
        Assert.Equal(JiraSecretProblem.Empty, Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(connection)).Problem);

        configuration["Jira:Production:ApiToken"] = " first-token\n";
        JiraSecret first = resolver.Resolve(connection);
        Assert.Equal("first-token", first.RevealValue());
        Assert.Same(first, resolver.Resolve(connection));

        configuration["Jira:Production:ApiToken"] = "second-token";
        JiraSecret second = resolver.Resolve(connection);
        Assert.Equal("second-token", second.RevealValue());
        Assert.True(second.Version > first.Version);
    }

    [Fact]
    public void ConfigurationSourceNeedsAConfiguration()
    {
        var error = Assert.Throws<JiraSecretUnavailableException>(() => new JiraSecretResolver().Resolve(Connection(JiraSecretReference.Configuration("Jira:X"))));

        Assert.Equal(JiraSecretProblem.Unreadable, error.Problem);
        Assert.Contains("no IConfiguration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentSourceResolvesRotatesAndExplainsWhatIsMissing()
    {
        var resolver = new JiraSecretResolver(options: new JiraSecretResolverOptions { EnvironmentRefreshInterval = TimeSpan.Zero });
        JiraConnection connection = Connection(JiraSecretReference.Environment(_variable));

        var missing = Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(connection));
        Assert.Equal(JiraSecretProblem.Missing, missing.Problem);
        Assert.Contains($"environment variable '{_variable}' (env:{_variable}) is not set", missing.Message, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable(_variable, "\t");
        Assert.Equal(JiraSecretProblem.Empty, Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(connection)).Problem);

        Environment.SetEnvironmentVariable(_variable, "env-token-1");
        Assert.Equal("env-token-1", resolver.Resolve(connection).RevealValue());
        Environment.SetEnvironmentVariable(_variable, "env-token-2");
        Assert.Equal("env-token-2", resolver.Resolve(connection).RevealValue());
    }

    [Fact]
    public void EnvironmentSourceIsReadAgainAfterItsRefreshInterval()
    {
        var time = new FakeTimeProvider();
        var resolver = new JiraSecretResolver(options: new JiraSecretResolverOptions { EnvironmentRefreshInterval = TimeSpan.FromSeconds(1) }, timeProvider: time);
        JiraConnection connection = Connection(JiraSecretReference.Environment(_variable));
        Environment.SetEnvironmentVariable(_variable, "env-token-1");
        JiraSecret first = resolver.Resolve(connection);

        Environment.SetEnvironmentVariable(_variable, "env-token-2");
        JiraSecret within = resolver.Resolve(connection);
        time.Advance(TimeSpan.FromSeconds(1));
        JiraSecret after = resolver.Resolve(connection);

        Assert.Same(first, within); // reused: nothing read, nothing copied
        Assert.Equal("env-token-2", after.RevealValue());
        Assert.Equal(first.Version + 1, after.Version);
    }

    [Fact]
    public void FileSourceTrimsRefreshesOnScheduleAndExplainsWhatIsWrong()
    {
        var time = new FakeTimeProvider();
        var resolver = new JiraSecretResolver(options: new JiraSecretResolverOptions { FileRefreshInterval = TimeSpan.FromSeconds(1) }, timeProvider: time);
        string path = Path.Combine(_directory, "jira_prod");
        JiraConnection connection = Connection(JiraSecretReference.File(path));

        var missing = Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(connection));
        Assert.Equal(JiraSecretProblem.Missing, missing.Problem);
        Assert.Contains($"file '{path}'", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "\n");
        Assert.Equal(JiraSecretProblem.Empty, Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(connection)).Problem);

        File.WriteAllText(path, "file-token-1\n");
        Assert.Equal("file-token-1", resolver.Resolve(connection).RevealValue());

        File.WriteAllText(path, "file-token-2\n");
        Assert.Equal("file-token-1", resolver.Resolve(connection).RevealValue()); // within the refresh interval
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("file-token-2", resolver.Resolve(connection).RevealValue());
    }

    [Fact]
    public void UnreadableFileIsReportedWithoutItsContent()
    {
        var resolver = new JiraSecretResolver(options: new JiraSecretResolverOptions { FileRefreshInterval = TimeSpan.Zero });

        var error = Assert.Throws<JiraSecretUnavailableException>(() => resolver.Resolve(Connection(JiraSecretReference.File(_directory))));

        Assert.Equal(JiraSecretProblem.Unreadable, error.Problem);
        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.Contains("Write the token into", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretPrintsOnlyItsReference()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:P", "s3cr3t-value")]).Build();
        JiraSecret secret = new JiraSecretResolver(configuration).Resolve(Connection(JiraSecretReference.Configuration("Jira:P")));

        Assert.Equal("config:Jira:P (value hidden)", secret.ToString());
        Assert.Equal("config:Jira:P (value hidden)", $"{secret}");
        Assert.DoesNotContain("s3cr3t", System.Text.Json.JsonSerializer.Serialize(secret), StringComparison.Ordinal);
        var display = (System.Diagnostics.DebuggerDisplayAttribute)Attribute.GetCustomAttribute(typeof(JiraSecret), typeof(System.Diagnostics.DebuggerDisplayAttribute))!;
        Assert.Equal("{ToString(),nq}", display.Value);
    }

    private static JiraConnection Connection(JiraSecretReference reference) =>
        new("Production", "automation@contoso.com", "contoso.atlassian.net", reference);
}
