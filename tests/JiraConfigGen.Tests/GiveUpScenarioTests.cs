using JiraConfigGen.Emulator;
using JiraConfigGen.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace JiraConfigGen.Tests;

/// <summary>
/// Scenario S8 and its edges, through real HTTP to the emulator on Kestrel (which counts a failed login when a
/// request arrives, as Jira does, whether or not anyone waits for the answer): callers that cancel or time out at
/// random moments while Jira is slow, a transport that fails after sending, a request cut off after its caller
/// gave up. The emulator's own count is what is asserted, and every call's outcome is accounted for.
/// </summary>
public class GiveUpScenarioTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Storm = 200;
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CancelWithin = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task S8_WrongTokenWithCallersGivingUpReachesJiraOnceAndNeverLocks()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync(responseDelay: TimeSpan.FromMilliseconds(300));
        JiraConnection sync = scenario.SyncWithWrongToken();

        // Four storms in a row (before this guarantee, the second storm already locked the account: 1, then 4).
        var results = new List<CallResult>();
        for (int storm = 1; storm <= 4; storm++)
        {
            results.AddRange(await scenario.ImpatientStormAsync(sync, Storm, Timeout, CancelWithin, seed: storm));
            output.WriteLine($"after storm {storm}: Jira counted {scenario.Account().FailedAttempts}");
        }

        JiraGuardStatus settled = await scenario.SettledAsync(sync);
        Report("S8 wrong token, 4 storms", scenario, [.. results]);
        Assert.Equal(1, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        AssertOnly([.. results], "cancelled", "rejected", "prevented:TokenRejected");
        Assert.Contains(results, r => r.Cancelled);

        // The abandoned probe's answer was learnt in the background: the token is quarantined, not tried again.
        Assert.Equal((1, 1, JiraLockoutReason.None), (settled.FailedAttempts, settled.QuarantinedTokens, settled.Tripped));
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S8_RevocationWhileCallersGiveUpSpendsAtMostTwoAndRotationHeals()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync(responseDelay: TimeSpan.FromMilliseconds(60));
        JiraConnection sync = scenario.SyncWithValidToken(out string first);
        Assert.All(await scenario.StormAsync(sync, 5), r => Assert.Equal(200, r.StatusCode));

        Task<CallResult[]> storm = scenario.ImpatientStormAsync(sync, Storm, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(150), seed: 2);
        await JiraScenario.WaitUntilAsync(() => scenario.Account().Successes >= 7);
        scenario.Emulator.RevokeToken(JiraScenario.Username, first);
        var calls = new List<CallResult>(await storm);
        await scenario.SettledAsync(sync);

        // Every caller left in the storm may have given up before a request with the revoked token left: then storms
        // go on until Jira has seen it, so that "at most two" is tested with the failures really spent.
        if (scenario.Account().FailedAttempts == 0)
        {
            calls.AddRange(await scenario.ImpatientStormsUntilAsync(sync, Storm, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(150), firstSeed: 3, _ => scenario.Account().FailedAttempts > 0));
        }

        CallResult[] results = [.. calls];
        JiraEmulatorAccount afterRevocation = scenario.Account();
        Report("S8 revocation", scenario, results);
        Assert.InRange(afterRevocation.FailedAttempts, 1, 2);
        Assert.False(afterRevocation.IsLocked);
        AssertOnly(results, "ok", "cancelled", "rejected", "prevented:TokenRejected");

        string rotated = scenario.NewToken();
        scenario.Emulator.AddToken(JiraScenario.Username, rotated);
        scenario.SetToken(sync, rotated);
        Assert.All(await scenario.StormAsync(sync, Storm), r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(afterRevocation.FailedAttempts, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S8_RotationsToWrongTokensWhileCallersGiveUpTripAtThreeAndNeverLock()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync(responseDelay: TimeSpan.FromMilliseconds(150));
        scenario.Emulator.AddAccount(JiraScenario.Username, scenario.NewToken());
        JiraConnection sync = scenario.Connection("Sync");

        var all = new List<CallResult>();
        for (int rotation = 0; rotation < 5; rotation++)
        {
            scenario.SetToken(sync, scenario.NewToken());
            int before = scenario.Account().FailedAttempts;

            all.AddRange(await scenario.ImpatientStormsUntilAsync(sync, Storm / 2, Timeout, CancelWithin, firstSeed: (10 * rotation) + 10,
                settled => scenario.Account().FailedAttempts > before || settled.Tripped != JiraLockoutReason.None));

            Assert.InRange(scenario.Account().FailedAttempts, 1, 3);
        }

        Report("S8 rotations to wrong tokens", scenario, [.. all]);
        Assert.Equal(3, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        Assert.Equal(JiraLockoutReason.AttemptsSpent, (await scenario.Guard.GetStatusAsync(sync.Account)).Tripped);
        AssertOnly([.. all], "cancelled", "rejected", "prevented:TokenRejected", "prevented:AttemptsSpent");
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task Liveness_JiraSlowerThanEveryCallerNeitherCountsNorTripsAProvenToken()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        Assert.All(await scenario.StormAsync(sync, 5), r => Assert.Equal(200, r.StatusCode));

        // Jira slows down past every caller's patience: every caller gives up.
        scenario.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(500);
        CallResult[] slow = await scenario.ImpatientStormAsync(sync, Storm, Timeout, CancelWithin, seed: 3);
        JiraGuardStatus whileSlow = await scenario.Guard.GetStatusAsync(sync.Account);

        // Jira is fast again: calls succeed at once, with nothing counted and nothing tripped.
        scenario.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(2);
        CallResult[] fast = await scenario.StormAsync(sync, Storm);
        JiraGuardStatus after = await scenario.SettledAsync(sync);

        Report("Liveness, slow Jira", scenario, slow);
        Assert.All(slow, r => Assert.Equal("cancelled", r.Kind));
        Assert.Equal((0, JiraLockoutReason.None), (whileSlow.FailedAttempts, whileSlow.Tripped));
        Assert.All(fast, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal((0, JiraLockoutReason.None, 0), (after.FailedAttempts, after.Tripped, after.QuarantinedTokens));
        Assert.Equal((0, false), (scenario.Account().FailedAttempts, scenario.Account().IsLocked));
        Assert.DoesNotContain(scenario.Telemetry.Logs, l => l.Contains("AttemptUnanswered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransportFailureAfterSendingCountsAsAPossibleFailureUntilTheNextSuccess()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        using HttpClient client = scenario.Factory.CreateClient(sync);
        Assert.Equal(200, (await scenario.CallAsync(client)).StatusCode);

        scenario.Emulator.DropConnections(1);
        CallResult dropped = await scenario.CallAsync(client);
        JiraGuardStatus counted = await scenario.Guard.GetStatusAsync(sync.Account);
        CallResult next = await scenario.CallAsync(client);
        JiraGuardStatus cleared = await scenario.Guard.GetStatusAsync(sync.Account);

        Assert.IsType<HttpRequestException>(dropped.Error);
        Assert.Equal(1, scenario.Emulator.DroppedRequests);
        Assert.Equal((1, 0), (counted.FailedAttempts, counted.QuarantinedTokens)); // counted, the token not blamed
        Assert.Equal(200, next.StatusCode);
        Assert.Equal(0, cleared.FailedAttempts);
        Assert.Contains(scenario.Telemetry.Logs, l => l.Contains("AttemptUnanswered", StringComparison.Ordinal) && l.Contains("transport", StringComparison.Ordinal));
        Assert.Contains(scenario.Telemetry.Metrics, m => m.StartsWith("jiraconfiggen.guard.unanswered_attempts 1", StringComparison.Ordinal) && m.Contains("jira.cause=transport", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnswersLostWithAWrongTokenTripAtThreeAndNeverLock()
    {
        // Jira counts each request, and the connection drops before its answer: the guard never learns the token
        // is wrong, so each attempt counts as a possible failure; the third trips the account.
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithWrongToken();
        scenario.Emulator.DropConnections(100);

        CallResult[] results = await scenario.StormAsync(sync, Storm);

        Report("lost answers", scenario, results);
        Assert.Equal(3, scenario.Account().FailedAttempts);
        Assert.Equal(3, scenario.Emulator.DroppedRequests);
        Assert.False(scenario.Account().IsLocked);
        Assert.Equal(3, results.Count(r => r.Kind == "other:HttpRequestException"));
        AssertOnly(results, "other:HttpRequestException", "prevented:AttemptsSpent");
        JiraLockoutPreventedException refused = results.Select(r => r.Error).OfType<JiraLockoutPreventedException>().First();
        Assert.Contains("requests whose answer never came", refused.Message, StringComparison.Ordinal);
        Assert.Contains("check that Jira answers", refused.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbandonedRequestIsCutOffAtItsDeadlineAndCountedUntilASuccess()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new JiraGuardOptions { AbandonedRequestTimeout = TimeSpan.FromSeconds(30) };
        await using JiraScenario scenario = await JiraScenario.StartAsync(options, time: time);
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        using HttpClient client = scenario.Factory.CreateClient(sync);
        Assert.Equal(200, (await scenario.CallAsync(client)).StatusCode);

        // Jira hangs; once it has the request, the caller gives up. The request goes on: nothing is counted yet.
        scenario.Emulator.ResponseDelay = TimeSpan.FromMinutes(5);
        int received = scenario.Emulator.TotalRequests;
        using var giveUp = new CancellationTokenSource();
        Task<CallResult> call = scenario.CallAsync(client, giveUp.Token);
        await JiraScenario.WaitUntilAsync(() => scenario.Emulator.TotalRequests > received);
        giveUp.Cancel();
        Assert.True((await call).Cancelled);
        Assert.Equal((1, 0), Counts(await scenario.Guard.GetStatusAsync(sync.Account)));

        // Just before its deadline it still runs (the fake clock fires the deadline's timer only inside Advance, so
        // nothing can have cut it off); at the deadline it is cut off and counted.
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal((1, 0), Counts(await scenario.Guard.GetStatusAsync(sync.Account)));
        time.Advance(TimeSpan.FromSeconds(1));
        JiraGuardStatus cutOff = await scenario.SettledAsync(sync);
        Assert.Equal((0, 1), Counts(cutOff));
        await JiraScenario.WaitUntilAsync(() => scenario.Telemetry.Logs.Any(l => l.Contains("AttemptUnanswered", StringComparison.Ordinal) && l.Contains("abandoned", StringComparison.Ordinal)));

        // A later success clears it, as in Jira.
        scenario.Emulator.ResponseDelay = TimeSpan.Zero;
        Assert.Equal(200, (await scenario.CallAsync(client)).StatusCode);
        Assert.Equal((0, 0), Counts(await scenario.Guard.GetStatusAsync(sync.Account)));
        Assert.Equal(0, scenario.Account().FailedAttempts);
    }

    [Fact]
    public async Task AnInstanceThatRefusesConnectionsCostsNothing()
    {
        int port = JiraScenario.ClosedPort();
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        var down = new JiraConnection("Down", JiraScenario.Username, $"127.0.0.1:{port}", JiraSecretReference.Configuration("Jira:Down:ApiToken"));
        scenario.SetToken(down, scenario.NewToken());

        CallResult[] results = await scenario.StormAsync(down, 20);

        Assert.All(results, r => Assert.Equal(System.Net.Http.HttpRequestError.ConnectionError, Assert.IsType<HttpRequestException>(r.Error).HttpRequestError));
        Assert.Equal((0, 0), Counts(await scenario.Guard.GetStatusAsync(down.Account)));
    }

    private static (int InFlight, int FailedAttempts) Counts(JiraGuardStatus status) => (status.InFlight, status.FailedAttempts);

    private static void AssertOnly(CallResult[] results, params string[] kinds)
    {
        var unexpected = results.Where(r => !kinds.Contains(r.Kind)).Select(r => r.Kind + " " + r.Error?.Message).Distinct().ToList();
        Assert.True(unexpected.Count == 0, "unexpected outcomes: " + string.Join("; ", unexpected));
    }

    private void Report(string scenario, JiraScenario world, CallResult[] results)
    {
        JiraEmulatorAccount account = world.Account();
        output.WriteLine($"{scenario}: Jira counted {account.FailedAttempts} failed attempt(s), {account.Successes} success(es), locked: {account.IsLocked}; calls: " +
            string.Join(", ", results.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}")));
    }

}
