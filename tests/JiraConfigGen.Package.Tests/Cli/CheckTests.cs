using System.Diagnostics;
using System.Text.Json;
using JiraConfigGen.Emulator;
using JiraConfigGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests.Cli;

/// <summary>
/// <c>jira-connections check</c> and <c>guard</c>, installed from the package, against Jira's behaviour on a
/// real Kestrel server (the emulator locks an account at its fourth consecutive failed login), and against a
/// real Redis for the fleet's guard.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class CheckTests(Tool tool, ITestOutputHelper output) : IClassFixture<Tool>, IAsyncLifetime
{
    private const string AliceToken = "alice-valid-token-0123456789";
    private const string StaleToken = "alice-stale-token-9876543210";
    private JiraEmulator _jira = null!;
    private string _repository = null!;

    public async Task InitializeAsync()
    {
        _jira = await JiraEmulator.StartAsync();
        _jira.AddAccount("alice@contoso.test", AliceToken, "Alice");
        _jira.AddAccount("bob@contoso.test", "bob-admin-token-0123456789", "Bob", isAdministrator: true);
        _jira.AddAccount("carol@contoso.test", "carol-file-token-0123456789", "Carol");
        _repository = Directory.CreateTempSubdirectory("jcg-check-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _jira.DisposeAsync();
        Directory.Delete(_repository, recursive: true);
        if (Directory.Exists(tool.StateHome))
        {
            Directory.Delete(tool.StateHome, recursive: true); // each test starts with no record of failed sign-ins
        }
    }

    [Fact]
    public void ChecksEveryConnectionWithTokensFromTheEnvironmentConfigAndFilesAndAWrongTokenCostsOneFailedLogin()
    {
        WriteConnections(
            Connection("Sync", "alice@contoso.test", """{ "env": "JIRA_SYNC_TOKEN" }"""),
            Connection("Reports", "alice@contoso.test", """{ "env": "JIRA_REPORTS_TOKEN" }"""),
            Connection("Admin", "bob@contoso.test", """{ "config": "Jira:Admin:ApiToken" }""", events: true),
            Connection("Archive", "carol@contoso.test", """{ "file": "secrets/carol.token" }"""));
        File.WriteAllText(Path.Combine(_repository, "appsettings.json"), """{ "Jira": { "Admin": { "ApiToken": "bob-admin-token-0123456789" } } }""");
        Directory.CreateDirectory(Path.Combine(_repository, "secrets"));
        File.WriteAllText(Path.Combine(_repository, "secrets", "carol.token"), "carol-file-token-0123456789\n");

        ToolResult check = tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", AliceToken), ("JIRA_REPORTS_TOKEN", StaleToken)), "check", "--config", "appsettings.json");
        output.WriteLine(check.ToString());

        Assert.Equal(1, check.ExitCode);
        Assert.Equal(
            [
                "jira-connections.json:4: Sync: OK, signs in as Alice <alice@contoso.test>",
                "jira-connections.json:10: Reports: FAILED: ",
                "jira-connections.json:16: Admin: OK, signs in as Bob <bob@contoso.test>, with Administer Jira",
                "jira-connections.json:23: Archive: OK, signs in as Carol <carol@contoso.test>",
            ],
            check.Lines.Select(line => line.Contains("FAILED: ", StringComparison.Ordinal) ? line[..(line.IndexOf("FAILED: ", StringComparison.Ordinal) + 8)] : line));
        Assert.Contains("Jira rejected the token (env:JIRA_REPORTS_TOKEN) of connection 'Reports'", check.Lines[1], StringComparison.Ordinal);
        Assert.Equal("jira-connections: 4 connections checked: 3 OK, 1 failed\n", check.StandardError);
        Assert.Equal(1, _jira.GetAccount("alice@contoso.test").FailedAttempts);
        Assert.False(_jira.GetAccount("alice@contoso.test").IsLocked);
        foreach (string token in new[] { AliceToken, StaleToken, "bob-admin-token-0123456789", "carol-file-token-0123456789" })
        {
            Assert.DoesNotContain(token, check.StandardOutput + check.StandardError, StringComparison.Ordinal);
        }

        ToolResult json = tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", AliceToken), ("JIRA_REPORTS_TOKEN", AliceToken)), "check", "--config", "appsettings.json", "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using JsonDocument document = JsonDocument.Parse(json.StandardOutput);
        JsonElement admin = document.RootElement[2];
        Assert.Equal("Admin", admin.GetProperty("nickname").GetString());
        Assert.True(admin.GetProperty("succeeded").GetBoolean());
        Assert.True(admin.GetProperty("canAdministerJira").GetBoolean());
        Assert.Equal($"{_jira.InstanceUrl}/bob@contoso.test", admin.GetProperty("account").GetString());
    }

    [Fact]
    public void RunAfterRunWithAStaleTokenStopsAtTheGuardsBudgetAndJiraNeverLocksTheAccount()
    {
        WriteConnections(Connection("Sync", "alice@contoso.test", """{ "env": "JIRA_SYNC_TOKEN" }"""));
        IReadOnlyDictionary<string, string?> stale = Tokens(("JIRA_SYNC_TOKEN", StaleToken));

        // Each run is a new process with a new guard; the record of earlier runs keeps the budget.
        for (int run = 1; run <= 5; run++)
        {
            ToolResult check = tool.Run(_repository, stale, "check");
            output.WriteLine($"run {run}: {check}");
            Assert.Equal(1, check.ExitCode);
            Assert.Contains(run <= 3 ? "Sync: FAILED: Jira rejected" : "Sync: NOT CHECKED: earlier checks on this machine recorded 3 failed sign-ins", check.StandardOutput, StringComparison.Ordinal);
        }

        JiraEmulatorAccount alice = _jira.GetAccount("alice@contoso.test");
        Assert.Equal(3, alice.FailedAttempts);
        Assert.False(alice.IsLocked);

        string account = $"{_jira.InstanceUrl}/alice@contoso.test";
        ToolResult status = tool.Run(_repository, "guard", "status");
        Assert.Equal(1, status.ExitCode);
        Assert.Equal($"{account}: TRIPPED (the failed-attempt budget is spent): 3 failed attempts since the last success, recorded by this machine's checks\n", status.StandardOutput);
        Assert.Contains($"then run: jira-connections guard reset --account \"{account}\"", tool.Run(_repository, stale, "check").StandardOutput, StringComparison.Ordinal);

        // A person fixes the token (and Jira's count), then clears the record as the message says.
        _jira.Unlock("alice@contoso.test");
        ToolResult reset = tool.Run(_repository, "guard", "reset", "--account", account);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal($"{account}: cleared 3 failed sign-ins recorded by this machine's checks\n", reset.StandardOutput);
        Assert.Equal(0, tool.Run(_repository, "guard", "status").ExitCode);

        ToolResult fixedToken = tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", AliceToken)), "check");
        Assert.True(fixedToken.ExitCode == 0, fixedToken.ToString());
        Assert.Equal($"{account}: ok: 0 failed attempts since the last success, recorded by this machine's checks\n", tool.Run(_repository, "guard", "status").StandardOutput);
    }

    [Fact]
    public async Task ARunThatIsKilledWhileJiraIsSlowLeavesItsAttemptOnRecord()
    {
        WriteConnections(Connection("Sync", "alice@contoso.test", """{ "env": "JIRA_SYNC_TOKEN" }"""));
        _jira.ResponseDelay = TimeSpan.FromSeconds(30);
        var start = new ProcessStartInfo(tool.Executable) { WorkingDirectory = _repository, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.Environment["XDG_STATE_HOME"] = tool.StateHome;
        start.Environment["JIRA_SYNC_TOKEN"] = StaleToken;
        using (Process check = Process.Start(start)!)
        {
            var waited = Stopwatch.StartNew();
            while (_jira.TotalRequests == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the check never reached Jira");
                await Task.Delay(20);
            }

            check.Kill(entireProcessTree: true); // as a CI job that times out is killed
            await check.WaitForExitAsync();
        }

        _jira.ResponseDelay = TimeSpan.Zero;
        ToolResult status = tool.Run(_repository, "guard", "status");
        Assert.Equal($"{_jira.InstanceUrl}/alice@contoso.test: ok: 1 failed attempt since the last success, recorded by this machine's checks\n", status.StandardOutput);

        // Jira counted that attempt (it authenticates on arrival): the next two runs may fail, the third may not start.
        for (int run = 0; run < 3; run++)
        {
            tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", StaleToken)), "check");
        }

        Assert.Equal(3, _jira.GetAccount("alice@contoso.test").FailedAttempts);
        Assert.False(_jira.GetAccount("alice@contoso.test").IsLocked);
    }

    [Fact]
    public void AConnectionWithErrorsIsNotCheckedAndATokenThatIsNotSetIsNamed()
    {
        WriteConnections(
            Connection("Sync", "alice@contoso.test", """{ "env": "JIRA_SYNC_TOKEN" }"""),
            Connection("Broken", "alice@contoso.test", "\"written-here\""));

        ToolResult check = tool.Run(_repository, "check");

        Assert.Equal(1, check.ExitCode);
        Assert.StartsWith("jira-connections.json:4: Sync: FAILED: ", check.Lines[0], StringComparison.Ordinal);
        Assert.Contains("env:JIRA_SYNC_TOKEN", check.Lines[0], StringComparison.Ordinal);
        Assert.Equal("jira-connections.json:10: Broken: NOT CHECKED: it has errors: JCG007; 'jira-connections validate' shows where", check.Lines[1]);
        Assert.Equal(0, _jira.TotalRequests);
    }

    [SkippableFact]
    public async Task WithRedisTheFleetsGuardCountsTheFailureQuarantinesTheTokenAndAnOperatorClearsTheTrip()
    {
        RedisServer.Require(needsBinary: false);
        await using RedisServer redis = await RedisServer.SharedOrStartAsync();
        string prefix = $"jcg-cli-{Guid.NewGuid():N}:";
        WriteConnections(
            Connection("Sync", "alice@contoso.test", """{ "env": "JIRA_SYNC_TOKEN" }"""),
            Connection("Reports", "bob@contoso.test", """{ "env": "JIRA_REPORTS_TOKEN" }"""));
        IReadOnlyDictionary<string, string?> environment = Tokens(("JIRA_SYNC_TOKEN", StaleToken), ("JIRA_REPORTS_TOKEN", "bob-admin-token-0123456789"), ("JIRA_CONNECTIONS_REDIS", redis.Configuration));

        // The stale token fails once; the fleet quarantines it, so later runs, anywhere, never send it again.
        for (int run = 0; run < 3; run++)
        {
            ToolResult check = tool.Run(_repository, environment, "check", "--key-prefix", prefix);
            output.WriteLine(check.ToString());
            Assert.Equal(1, check.ExitCode);
        }

        Assert.Equal(1, _jira.GetAccount("alice@contoso.test").FailedAttempts);
        string alice = $"{_jira.InstanceUrl}/alice@contoso.test";
        string bob = $"{_jira.InstanceUrl}/bob@contoso.test";
        ToolResult status = tool.Run(_repository, "guard", "status", "--redis", redis.Configuration, "--key-prefix", prefix);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(
            [
                $"{alice}: ok: 1 failed attempt since the last success, 0 in flight, 1 quarantined token",
                $"{bob}: ok: 0 failed attempts since the last success, 0 in flight, 0 quarantined tokens",
            ],
            status.Lines);

        // Spend the budget with two more stale tokens: the account trips for the whole fleet.
        foreach (string token in new[] { "alice-stale-token-2", "alice-stale-token-3" })
        {
            tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", token), ("JIRA_CONNECTIONS_REDIS", redis.Configuration)), "check", "--key-prefix", prefix);
        }

        ToolResult tripped = tool.Run(_repository, "guard", "status", "--account", alice, "--redis", redis.Configuration, "--key-prefix", prefix, "--format", "json");
        Assert.Equal(1, tripped.ExitCode);
        using (JsonDocument document = JsonDocument.Parse(tripped.StandardOutput))
        {
            JsonElement state = Assert.Single(document.RootElement.EnumerateArray());
            Assert.Equal(3, state.GetProperty("failedAttempts").GetInt32());
            Assert.Equal("AttemptsSpent", state.GetProperty("tripped").GetString());
            Assert.Equal(3, state.GetProperty("quarantinedTokens").GetInt32());
        }

        ToolResult refused = tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", AliceToken), ("JIRA_CONNECTIONS_REDIS", redis.Configuration)), "check", "--key-prefix", prefix);
        Assert.Contains($"then clear the trip: jira-connections guard reset --redis \"{redis.Configuration}\" --key-prefix \"{prefix}\" --account \"{alice}\"", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, _jira.GetAccount("alice@contoso.test").FailedAttempts);
        Assert.False(_jira.GetAccount("alice@contoso.test").IsLocked);

        _jira.Unlock("alice@contoso.test");
        ToolResult reset = tool.Run(_repository, "guard", "reset", "--account", alice, "--redis", redis.Configuration, "--key-prefix", prefix);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal($"{alice}: cleared 3 failed attempts and the trip (the failed-attempt budget is spent) for the whole fleet; now ok: 0 failed attempts since the last success, 0 in flight, 3 quarantined tokens\n", reset.StandardOutput);
        ToolResult healed = tool.Run(_repository, Tokens(("JIRA_SYNC_TOKEN", AliceToken), ("JIRA_REPORTS_TOKEN", "bob-admin-token-0123456789"), ("JIRA_CONNECTIONS_REDIS", redis.Configuration)), "check", "--key-prefix", prefix);
        Assert.True(healed.ExitCode == 0, healed.ToString());
    }

    [Fact]
    public void GuardCommandsSayWhatIsWrongWithTheirArguments()
    {
        ToolResult noAccount = tool.Run(_repository, "guard", "reset");
        Assert.Equal(2, noAccount.ExitCode);
        Assert.StartsWith("jira-connections: Option '--account' is required.", noAccount.StandardError, StringComparison.Ordinal);

        ToolResult badAccount = tool.Run(_repository, "guard", "status", "--account", "contoso.atlassian.net");
        Assert.Equal(2, badAccount.ExitCode);
        Assert.StartsWith("jira-connections: --account 'contoso.atlassian.net' is not INSTANCE/USER", badAccount.StandardError, StringComparison.Ordinal);

        ToolResult unreachable = tool.Run(_repository, "guard", "status", "--account", "contoso.atlassian.net/a@contoso.com", "--redis", "127.0.0.1:1,connectTimeout=500,password=never-shown");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Equal("jira-connections: cannot reach the guard's Redis at 127.0.0.1:1; check --redis (or $JIRA_CONNECTIONS_REDIS) and that the server is up\n", unreachable.StandardError);

        ToolResult budget = tool.Run(_repository, "check", "--max-failed-attempts", "11");
        Assert.Equal(2, budget.ExitCode);
        Assert.StartsWith("jira-connections: --max-failed-attempts: JiraGuardOptions.MaxFailedAttempts must be from 1 to 10", budget.StandardError, StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string?> Tokens(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => (string?)v.Value);

    private string Connection(string nickname, string username, string apiToken, bool events = false) => $$"""
            {
              "nickname": "{{nickname}}",
              "username": "{{username}}",
              "instanceUrl": "{{_jira.InstanceUrl}}",
              "apiToken": {{apiToken}}{{(events ? ",\n      \"events\": true" : string.Empty)}}
            }
        """;

    private void WriteConnections(params string[] connections) =>
        File.WriteAllText(Path.Combine(_repository, "jira-connections.json"), "{\n  \"connections\": [\n" + string.Join(",\n", connections) + "\n  ]\n}\n");
}
