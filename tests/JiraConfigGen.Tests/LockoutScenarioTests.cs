using JiraConfigGen.Emulator;
using JiraConfigGen.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace JiraConfigGen.Tests;

/// <summary>
/// The scenarios S1-S7 of the runtime contract, each through real HTTP to the Jira emulator on Kestrel,
/// asserting the emulator's own count of failed attempts, and scanning everything the scenario logged,
/// measured and threw for the tokens.
/// </summary>
public class LockoutScenarioTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Storm = 200;

    [Fact]
    public async Task S1_RightTokenUnderConcurrencyAllSucceedWithNoFailure()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithValidToken(out string token);

        CallResult[] results = await scenario.StormAsync(sync, Storm);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(0, scenario.Account().FailedAttempts);
        Assert.Equal(Storm, scenario.Account().Successes);
        // Safe mode: with no failure counted, two requests in flight per account, never more.
        Assert.InRange(scenario.Emulator.MaxConcurrentRequests, 1, 2);
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S2_WrongTokenUnderConcurrencyReachesJiraOnce()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithWrongToken();

        CallResult[] results = await scenario.StormAsync(sync, Storm);

        output.WriteLine($"S2: emulator counted {scenario.Account().FailedAttempts} failed attempt(s), locked: {scenario.Account().IsLocked}");
        Assert.Equal(1, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        Assert.All(results, r => Assert.False(r.Succeeded));
        JiraAuthenticationException rejected = Assert.Single(results.Select(r => r.Error).OfType<JiraAuthenticationException>());
        Assert.Equal(401, rejected.ResponseStatusCode);
        Assert.Equal("AUTHENTICATED_FAILED", rejected.LoginReason);
        Assert.Contains("rotate the token", rejected.Message, StringComparison.Ordinal);
        var prevented = results.Select(r => r.Error).OfType<JiraLockoutPreventedException>().ToList();
        Assert.Equal(Storm - 1, prevented.Count);
        Assert.All(prevented, e => Assert.Equal(JiraLockoutReason.TokenRejected, e.Reason));
        Assert.Contains("config:Jira:Sync:ApiToken", prevented[0].Message, StringComparison.Ordinal);
        Assert.Contains(scenario.Telemetry.Logs, l => l.Contains("TokenQuarantined", StringComparison.Ordinal));
        Assert.Contains(scenario.Telemetry.Metrics, m => m.StartsWith("jiraconfiggen.guard.auth_failures 1", StringComparison.Ordinal));
        Assert.Contains(scenario.Telemetry.Metrics, m => m.Contains("jira.reason=token_rejected", StringComparison.Ordinal));
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S3_RevocationMidStormSpendsAtMostTwoAndRotationHeals()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync(responseDelay: TimeSpan.FromMilliseconds(5));
        JiraConnection sync = scenario.SyncWithValidToken(out string first);

        Task<CallResult[]> storm = scenario.StormAsync(sync, Storm);
        await RevokeAfterSuccessesAsync(scenario, first, 50);
        CallResult[] results = await storm;

        JiraEmulatorAccount afterRevocation = scenario.Account();
        output.WriteLine($"S3: emulator counted {afterRevocation.FailedAttempts} failed attempt(s) after the revocation, locked: {afterRevocation.IsLocked}");
        Assert.InRange(afterRevocation.FailedAttempts, 1, 2);
        Assert.False(afterRevocation.IsLocked);
        Assert.Contains(results, r => r.Succeeded);
        Assert.Contains(results, r => r.Error is JiraAuthenticationException);

        string rotated = scenario.NewToken();
        scenario.Emulator.AddToken(JiraScenario.Username, rotated);
        scenario.SetToken(sync, rotated);
        CallResult[] healed = await scenario.StormAsync(sync, Storm);

        Assert.All(healed, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(afterRevocation.FailedAttempts, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        Assert.Contains(scenario.Telemetry.Logs, l => l.Contains("GuardHealed", StringComparison.Ordinal));
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S4_RotationToWrongTokensTripsAtThreeAndNeverLocks()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync(responseDelay: TimeSpan.FromMilliseconds(5));
        JiraConnection sync = scenario.SyncWithValidToken(out string first);

        Task<CallResult[]> storm = scenario.StormAsync(sync, Storm);
        await RevokeAfterSuccessesAsync(scenario, first, 50);
        await storm;

        // Rotated to another wrong token, again and again: each gets one try while attempts are left.
        CallResult[] last = [];
        for (int rotation = 0; rotation < 3 && (await scenario.Guard.GetStatusAsync(sync.Account)).Tripped == JiraLockoutReason.None; rotation++)
        {
            scenario.SetToken(sync, scenario.NewToken());
            last = await scenario.StormAsync(sync, Storm);
            Assert.InRange(scenario.Account().FailedAttempts, 1, 3);
        }

        output.WriteLine($"S4: emulator counted {scenario.Account().FailedAttempts} failed attempt(s) in all, locked: {scenario.Account().IsLocked}");
        Assert.Equal(3, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        Assert.Equal(JiraLockoutReason.AttemptsSpent, (await scenario.Guard.GetStatusAsync(sync.Account)).Tripped);

        // Even a valid token is not tried now: a wrong one would be the fourth failure.
        string valid = scenario.NewToken();
        scenario.Emulator.AddToken(JiraScenario.Username, valid);
        scenario.SetToken(sync, valid);
        CallResult[] refused = await scenario.StormAsync(sync, Storm);
        Assert.All(refused, r => Assert.Equal(JiraLockoutReason.AttemptsSpent, Assert.IsType<JiraLockoutPreventedException>(r.Error).Reason));
        var error = (JiraLockoutPreventedException)refused[0].Error!;
        Assert.Contains("3 of 3 failed attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("sign in to Jira in a browser", error.Fix, StringComparison.Ordinal);
        Assert.Equal(3, scenario.Account().FailedAttempts);
        Assert.Contains(scenario.Telemetry.Logs, l => l.Contains("GuardTripped", StringComparison.Ordinal));

        // After a person signs in (Jira's count resets) the operator resets the guard: the valid token works.
        scenario.Emulator.Unlock(JiraScenario.Username);
        await scenario.Guard.ResetAsync(sync.Account);
        CallResult[] afterReset = await scenario.StormAsync(sync, 20);
        Assert.All(afterReset, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(3, scenario.Account().FailedAttempts);
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S5_TwoConnectionsOnOneAccountShareTheBudget()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        string good = scenario.NewToken();
        scenario.Emulator.AddAccount(JiraScenario.Username, good);
        JiraConnection reports = scenario.Connection("Reports");
        JiraConnection stale = scenario.Connection("Stale");
        scenario.SetToken(reports, good);
        scenario.SetToken(stale, scenario.NewToken());

        Task<CallResult[]> goodCalls = scenario.StormAsync(reports, Storm);
        Task<CallResult[]> staleCalls = scenario.StormAsync(stale, Storm);
        CallResult[][] both = await Task.WhenAll(goodCalls, staleCalls);

        output.WriteLine($"S5: emulator counted {scenario.Account().FailedAttempts} failed attempt(s), locked: {scenario.Account().IsLocked}");
        Assert.Equal(1, scenario.Account().FailedAttempts);
        Assert.False(scenario.Account().IsLocked);
        Assert.All(both[0], r => Assert.Equal(200, r.StatusCode));
        Assert.Single(both[1], r => r.Error is JiraAuthenticationException);
        Assert.Equal(Storm - 1, both[1].Count(r => r.Error is JiraLockoutPreventedException { Reason: JiraLockoutReason.TokenRejected }));
        Assert.Equal(reports.Account, stale.Account);
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S6_AlreadyLockedAccountTripsOnTheFirstAnswer()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        string token = scenario.NewToken();
        scenario.Emulator.AddAccount(JiraScenario.Username, token);
        await LockAccountWithoutTheGuardAsync(scenario);
        Assert.True(scenario.Account().IsLocked);
        JiraConnection sync = scenario.Connection("Sync");
        scenario.SetToken(sync, token);

        CallResult[] results = await scenario.StormAsync(sync, Storm);

        Assert.Equal(1, scenario.Account().DeniedWhileLocked);
        Assert.Equal(4, scenario.Account().FailedAttempts);
        JiraAuthenticationException first = Assert.Single(results.Select(r => r.Error).OfType<JiraAuthenticationException>());
        Assert.True(first.IsAccountLocked);
        Assert.Equal(403, first.ResponseStatusCode);
        Assert.All(results.Where(r => r.Error is not JiraAuthenticationException), r =>
            Assert.Equal(JiraLockoutReason.AccountLocked, Assert.IsType<JiraLockoutPreventedException>(r.Error).Reason));
        Assert.Contains("sign in to Jira in a browser", first.Fix, StringComparison.Ordinal);
        Assert.Contains("change the password", first.Fix, StringComparison.Ordinal);
        Assert.Contains(scenario.Telemetry.Metrics, m => m.Contains("jira.kind=locked", StringComparison.Ordinal));
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S7_RateLimitIsRetriedAfterRetryAfterAndNotCounted()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        scenario.Emulator.Throttle(1, TimeSpan.FromSeconds(1));
        using HttpClient client = scenario.Factory.CreateClient(sync);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        CallResult result = await scenario.CallAsync(client);
        watch.Stop();

        Assert.Equal(200, result.StatusCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(10));
        Assert.Equal(1, scenario.Emulator.ThrottledRequests);
        Assert.Equal(0, scenario.Account().FailedAttempts);
        Assert.Equal(0, (await scenario.Guard.GetStatusAsync(sync.Account)).FailedAttempts);
        Assert.Contains(scenario.Telemetry.Metrics, m => m.StartsWith("jiraconfiggen.guard.retries 1", StringComparison.Ordinal) && m.Contains("http.response.status_code=429", StringComparison.Ordinal));
        scenario.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task S7_RetriesAreBoundedAndEachWaitsForRetryAfter()
    {
        var time = new TimerRecordingTimeProvider();
        await using JiraScenario scenario = await JiraScenario.StartAsync(new JiraGuardOptions { MaxRetries = 3 }, time: time);
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        TimeSpan retryAfter = TimeSpan.FromSeconds(5);
        scenario.Emulator.Throttle(10, retryAfter, statusCode: 503);
        using HttpClient client = scenario.Factory.CreateClient(sync);

        Task<CallResult> call = scenario.CallAsync(client);
        for (int retry = 1; retry <= 3; retry++)
        {
            // The guard's wait is a timer on the fake clock, due when Retry-After says. The fake clock fires timers only
            // inside Advance, synchronously: one moment short of Retry-After nothing has fired, so nothing can be sent.
            await JiraScenario.WaitUntilAsync(() => scenario.Emulator.ThrottledRequests == retry && time.Scheduled(retryAfter) == retry);
            time.Advance(retryAfter - TimeSpan.FromMilliseconds(1));
            Assert.Equal(retry, scenario.Emulator.ThrottledRequests);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        CallResult result = await call;
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(4, scenario.Emulator.ThrottledRequests);
        Assert.Equal(0, scenario.Account().FailedAttempts);
    }

    [Fact]
    public async Task AuthFailuresAreNeverRetried()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithWrongToken();
        using HttpClient client = scenario.Factory.CreateClient(sync);

        CallResult result = await scenario.CallAsync(client);

        Assert.IsType<JiraAuthenticationException>(result.Error);
        Assert.Single(scenario.Emulator.Requests);
        Assert.Equal(1, scenario.Account().FailedAttempts);
    }

    [Fact]
    public async Task ThroughputModeAllowsMoreInFlight()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync(new JiraGuardOptions { Mode = JiraGuardMode.Throughput, ThroughputConcurrency = 8 });
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        using (HttpClient client = scenario.Factory.CreateClient(sync))
        {
            Assert.Equal(200, (await scenario.CallAsync(client)).StatusCode); // the token is proven: no more probing
        }

        // Jira holds every answer: the guard lets exactly its concurrency in, read from the emulator, not timed.
        Task<CallResult[]> storm;
        using (scenario.Emulator.HoldResponses())
        {
            storm = scenario.StormAsync(sync, Storm);
            await JiraScenario.WaitUntilAsync(() => scenario.Emulator.RequestsInFlight == 8);
            Assert.Equal(8, (await scenario.Guard.GetStatusAsync(sync.Account)).InFlight);
        }

        Assert.All(await storm, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(8, scenario.Emulator.MaxConcurrentRequests);
    }

    [Fact]
    public async Task CredentialsGoOnlyToTheConnectionsOwnHost()
    {
        await using JiraScenario scenario = await JiraScenario.StartAsync();
        JiraConnection sync = scenario.SyncWithValidToken(out string token);
        using HttpClient client = scenario.Factory.CreateClient(sync);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("https://evil.example.com/rest/api/3/myself"));

        Assert.Contains("sends its credentials only to http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Empty(scenario.Emulator.Requests);
    }

    /// <summary>Waits for the storm to reach <paramref name="successes"/>, then revokes the token mid-flight.</summary>
    private static async Task RevokeAfterSuccessesAsync(JiraScenario scenario, string token, int successes)
    {
        await JiraScenario.WaitUntilAsync(() => scenario.Account().Successes >= successes);
        scenario.Emulator.RevokeToken(JiraScenario.Username, token);
    }

    /// <summary>Four wrong logins straight to the emulator, as a forgotten job without the guard would send.</summary>
    private static async Task LockAccountWithoutTheGuardAsync(JiraScenario scenario)
    {
        using var raw = new HttpClient { BaseAddress = scenario.Emulator.BaseAddress };
        string header = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(JiraScenario.Username + ":" + scenario.NewToken()));
        for (int i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "rest/api/3/myself");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", header);
            using HttpResponseMessage response = await raw.SendAsync(request);
        }
    }

}

/// <summary>A fake clock that also counts the timers created for each due time: the state of a wait, read rather than timed.</summary>
internal sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TimeSpan, int> _scheduled = new();

    /// <summary>How many timers were created due after <paramref name="dueTime"/>.</summary>
    public int Scheduled(TimeSpan dueTime) => _scheduled.GetValueOrDefault(dueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _scheduled.AddOrUpdate(dueTime, 1, (_, n) => n + 1);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
