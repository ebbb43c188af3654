using JiraConfigGen.Redis.Tests.Infrastructure;
using JiraConfigGen.Tests.Infrastructure;
using Xunit.Abstractions;

namespace JiraConfigGen.Redis.Tests;

/// <summary>
/// Redis killed in the middle of a fleet's traffic, then started again (empty: it keeps nothing on disk),
/// in each outage mode. Each test starts a redis-server of its own, since it stops it.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task FallBackToLocal_KeepsProvenTokensWorkingNeverTriesAnUnprovenOneAndRecovers()
    {
        RedisServer.Require(needsBinary: true);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using Fleet fleet = await Fleet.StartAsync(redis, output);
        WorkerProcess[] workers = await StartSucceedingAsync(fleet, processes: 3, outage: "fallback");

        await redis.StopAsync();
        await EveryWorkerAsync(workers, r => r.StoreUnavailable.GetValueOrDefault("fallback") > 0, "every process in fallback");

        // A forgotten job with a stale token starts during the outage: without the fleet's count, a token never
        // seen to work is not tried (four such jobs, one try each, would lock the account).
        fleet.WriteToken("Stale", fleet.NewToken());
        WorkerProcess stale = await fleet.StartWorkerAsync("stale-job", new Dictionary<string, string> { ["Sync"] = "Stale" });
        WorkerReport staleReport = await stale.StormAsync("Sync", 20);
        await EveryWorkerGainsAsync(workers, "ok", "every process still succeeding, on its own guard");
        int failuresDuringOutage = fleet.JiraAccount().FailedAttempts;

        await redis.StartAgainAsync();
        await EveryWorkerAsync(workers, r => !r.RedisDown, "every process back on Redis");
        // Back on Redis, the stale token gets the one probe the fleet allows it, as in S5.
        WorkerReport staleAfter = staleReport;
        await Fleet.EventuallyAsync(async () => (staleAfter = await stale.StormAsync("Sync", 1))["prevented:TokenRejected"] > 0, "the stale job's token tried once through Redis, then quarantined");
        await EveryWorkerGainsAsync(workers, "ok", "every process succeeding through Redis again");
        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StopAsync()));
        JiraGuardStatus shared = await fleet.SharedStatusAsync();

        fleet.Log($"Outage (fall back): stale job {staleReport}; after recovery {staleAfter}; Jira failures {fleet.JiraAccount().FailedAttempts}; shared state after recovery: {shared.FailedAttempts} failure(s), {shared.QuarantinedTokens} quarantined");
        LogEach(fleet, reports);

        Assert.Equal(20, staleReport["prevented:StoreUnavailable"]);
        Assert.Equal(0, failuresDuringOutage);
        Assert.Equal(1, staleAfter["rejected"]); // once, through Redis, then never again
        Assert.Equal(1, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.Equal(1, shared.QuarantinedTokens);
        Assert.All(reports, r => Assert.Equal(0, r["rejected"]));
        Assert.All(reports, r => Assert.True(r["ok"] > 0 && r.StoreUnavailable["fallback"] > 0, r.ToString()));
        Assert.All(workers, w => Assert.Contains(w.Output, l => l.Contains("GuardStoreUnavailable", StringComparison.Ordinal)));
        Assert.All(workers, w => Assert.Contains(w.Output, l => l.Contains("GuardStoreRecovered", StringComparison.Ordinal)));
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task RefuseCalls_SendsNothingWhileRedisIsDownAndResumesWhenItIsBack()
    {
        RedisServer.Require(needsBinary: true);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using Fleet fleet = await Fleet.StartAsync(redis, output);
        WorkerProcess[] workers = await StartSucceedingAsync(fleet, processes: 4, outage: "refuse");

        await redis.StopAsync();
        await EveryWorkerAsync(workers, r => r["prevented:StoreUnavailable"] > 0, "every process refusing");
        int sentAtOutage = fleet.Emulator.TotalRequests;
        await EveryWorkerGainsAsync(workers, "prevented:StoreUnavailable", "more calls refused in every process");
        int sentDuringOutage = fleet.Emulator.TotalRequests - sentAtOutage;

        await redis.StartAgainAsync();
        await EveryWorkerGainsAsync(workers, "ok", "every process succeeding through Redis again");
        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StopAsync()));

        fleet.Log($"Outage (refuse): {sentDuringOutage} request(s) reached Jira while every process refused");
        LogEach(fleet, reports);

        Assert.Equal(0, sentDuringOutage);
        Assert.All(reports, r => Assert.Equal(r["prevented:StoreUnavailable"], r.StoreUnavailable.GetValueOrDefault("refused")));
        Assert.Equal(0, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.All(reports, r => Assert.Equal(0, r["rejected"]));
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task FallBackToLocal_AProcessThatOnlyWaitedBeforeTheOutageStillSendsTheProvenToken()
    {
        // Three processes (three stores) on one account. A proves the token and holds both places safe mode has;
        // B asks while they are taken and waits: Redis tells it the token is proven. C never asked. Then Redis goes.
        RedisServer.Require(needsBinary: true);
        await using RedisServer redis = await RedisServer.StartAsync();
        var account = new JiraAccount("contoso.atlassian.net", "sync-bot@contoso.test");
        var policy = new JiraGuardPolicy(3, 0);
        RedisGuardOptions Options() => new() { KeyPrefix = "jcgtest:outage:", RetryInterval = TimeSpan.FromMilliseconds(100), TokenIdIterations = 10_000 };
        using RedisJiraGuardStore a = RedisJiraGuardStore.Connect(redis.Configuration, Options());
        using RedisJiraGuardStore b = RedisJiraGuardStore.Connect(redis.Configuration, Options());
        using RedisJiraGuardStore c = RedisJiraGuardStore.Connect(redis.Configuration, Options());
        IJiraGuardAccount inA = a.GetAccount(account), inB = b.GetAccount(account), inC = c.GetAccount(account);

        JiraAdmission probe = await inA.TryAdmitAsync("token", policy, CancellationToken.None);
        await inA.CompleteAsync(probe, JiraAttemptOutcome.Authenticated, policy, CancellationToken.None);
        Assert.Equal(JiraAdmissionDecision.Proceed, (await inA.TryAdmitAsync("token", policy, CancellationToken.None)).Decision);
        Assert.Equal(JiraAdmissionDecision.Proceed, (await inA.TryAdmitAsync("token", policy, CancellationToken.None)).Decision);
        JiraAdmission waits = await inB.TryAdmitAsync("token", policy, CancellationToken.None);
        Assert.Equal(JiraAdmissionDecision.Wait, waits.Decision);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inB.WaitAsync(waits, new CancellationToken(canceled: true)).AsTask()); // its caller times out

        await redis.StopAsync();
        JiraAdmission waitedBefore = await inB.TryAdmitAsync("token", policy, CancellationToken.None);
        JiraAdmission neverAsked = await inC.TryAdmitAsync("token", policy, CancellationToken.None);
        JiraGuardStatus seenByC = await inC.GetStatusAsync(CancellationToken.None);

        Assert.Equal((JiraAdmissionDecision.Proceed, (string?)null), (waitedBefore.Decision, waitedBefore.Lease)); // admitted by its local guard
        Assert.Equal((JiraAdmissionDecision.Refuse, JiraLockoutReason.StoreUnavailable), (neverAsked.Decision, neverAsked.Reason));
        Assert.True(seenByC.IsStoreUnavailable);
    }

    /// <summary>A fleet of <paramref name="processes"/> workers with a good token, each calling Jira from two callers, all succeeding.</summary>
    private static async Task<WorkerProcess[]> StartSucceedingAsync(Fleet fleet, int processes, string outage)
    {
        fleet.UseValidToken();
        WorkerProcess[] workers = await fleet.StartWorkersAsync(processes, outage: outage);
        await Task.WhenAll(workers.Select(w => w.LoopAsync("Sync", callers: 2)));
        await EveryWorkerAsync(workers, r => r["ok"] >= 5, "every process succeeding");
        return workers;
    }

    private static Task EveryWorkerAsync(WorkerProcess[] workers, Func<WorkerReport, bool> condition, string what) =>
        Fleet.EventuallyAsync(async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).All(condition), what);

    /// <summary>Waits until the counter <paramref name="counter"/> of every worker has grown by 5 from now.</summary>
    private static async Task EveryWorkerGainsAsync(WorkerProcess[] workers, string counter, string what)
    {
        WorkerReport[] before = await Task.WhenAll(workers.Select(w => w.StatsAsync()));
        await Fleet.EventuallyAsync(
            async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).Zip(before).All(p => p.First[counter] >= p.Second[counter] + 5),
            what);
    }

    private static void LogEach(Fleet fleet, WorkerReport[] reports)
    {
        for (int i = 0; i < reports.Length; i++)
        {
            fleet.Log($"  process {i + 1}: {reports[i]}");
        }
    }
}
