using JiraConfigGen.Emulator;
using JiraConfigGen.Tests.Infrastructure;

namespace JiraConfigGen.Tests;

/// <summary>
/// One Jira written several ways is one account with one budget: the rule in src/Shared/JiraIdentity.cs, which the
/// generator's JCG011 and JCG012 use too (their cases are in the generator's tests).
/// </summary>
public class SameAccountTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("jira.example.com", "JIRA.Example.com")]
    [InlineData("jira.example.com", "jira.example.com.")]
    [InlineData("jira.example.com", "jira.example.com:443")]
    [InlineData("jira.example.com:443/jira", "Jira.Example.Com./jira")]
    [InlineData("localhost:80", "localhost")]
    [InlineData("127.0.0.1:80", "127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]", "[0:0:0:0:0:FFFF:7f00:1]")]
    [InlineData("[::ffff:127.0.0.1]:8080", "127.0.0.1:8080")]
    [InlineData("[2001:db8::1]:8443", "[2001:0DB8:0000:0000:0000:0000:0000:0001]:8443")]
    [InlineData("jira.example.com/jira", "jira.example.com/%6Aira")]
    [InlineData("jira.example.com/a%2fb", "jira.example.com/a%2Fb")]
    [InlineData("jira.example.com:08443", "jira.example.com:8443")]
    public void SpellingsOfOneInstanceAreOneAccount(string one, string other)
    {
        var a = new JiraAccount(one, "Sync-Bot@Contoso.test");
        var b = new JiraAccount(other, " sync-bot@contoso.test ");

        Assert.Equal(a, b);
        Assert.Equal(a.Key, b.Key);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("jira.example.com", "jira.example.com:8443")] // another port
    [InlineData("localhost", "localhost:443")] // loopback is http: 443 is not its default
    [InlineData("jira.example.com/jira", "jira.example.com/Jira")] // context paths keep their case
    [InlineData("jira.example.com/jira", "jira.example.com")]
    [InlineData("jira.example.com/a%2Fb", "jira.example.com/a/b")] // an escaped '/' is not a '/'
    [InlineData("10.0.0.1", "10.0.0.2")]
    [InlineData("[::1]", "127.0.0.1")] // two loopback addresses, two hosts
    public void DifferentInstancesAreDifferentAccounts(string one, string other)
    {
        Assert.NotEqual(new JiraAccount(one, "bot"), new JiraAccount(other, "bot"));
    }

    [Fact]
    public void ConnectionsKeepTheirSpellingButShareTheAccount()
    {
        var plain = new JiraConnection("A", "bot@contoso.com", "contoso.atlassian.net", JiraSecretReference.Environment("A"));
        var ported = new JiraConnection("B", "BOT@contoso.com", "CONTOSO.atlassian.net:443", JiraSecretReference.Environment("B"));

        Assert.Equal(plain.Account, ported.Account);
        Assert.Equal("CONTOSO.atlassian.net:443", ported.InstanceUrl);
        Assert.Equal("contoso.atlassian.net|BOT@CONTOSO.COM", ported.Account.Key);
    }

    [Fact]
    public async Task FourSpellingsOfOneInstanceShareOneBudgetThroughRealHttp()
    {
        // Four forgotten jobs, each with its own stale token and its own spelling of the emulator's address: one
        // budget, so Jira sees three failures and never locks (with a budget per spelling it saw four, and locked).
        await using JiraScenario scenario = await JiraScenario.StartAsync(responseDelay: TimeSpan.FromMilliseconds(5));
        scenario.Emulator.AddAccount(JiraScenario.Username, scenario.NewToken());
        string port = scenario.Emulator.InstanceUrl.Split(':')[1];
        string[] spellings = [$"127.0.0.1:{port}", $"[::ffff:127.0.0.1]:{port}", $"[0:0:0:0:0:FFFF:7f00:1]:{port}", $"[::FFFF:7F00:1]:{port}"];
        JiraConnection[] jobs = spellings.Select((instance, i) =>
            new JiraConnection($"Job{i}", i % 2 == 0 ? JiraScenario.Username : JiraScenario.Username.ToUpperInvariant(), instance, JiraSecretReference.Configuration($"Jira:Job{i}:ApiToken"))).ToArray();
        foreach (JiraConnection job in jobs)
        {
            scenario.SetToken(job, scenario.NewToken());
        }

        CallResult[][] results = await Task.WhenAll(jobs.Select(job => scenario.StormAsync(job, 50)));

        JiraEmulatorAccount account = scenario.Account();
        output.WriteLine($"Four spellings: Jira counted {account.FailedAttempts} failed attempt(s), locked: {account.IsLocked}; " +
            string.Join(", ", results.SelectMany(r => r).GroupBy(r => r.Kind).Select(g => $"{g.Key}={g.Count()}")));
        Assert.Single(jobs.Select(j => j.Account).Distinct());
        Assert.Equal(3, account.FailedAttempts);
        Assert.False(account.IsLocked);
        Assert.Equal(3, results.SelectMany(r => r).Count(r => r.Kind == "rejected"));
        Assert.All(results.SelectMany(r => r), r => Assert.Contains(r.Kind, new[] { "rejected", "prevented:TokenRejected", "prevented:AttemptsSpent" }));
        scenario.AssertNoSecretLeaked();
    }
}
