using JiraConfigGen.Redis.Tests.Infrastructure;
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

    /// <summary>A fleet of <paramref name="processes"/> workers with a good token, each calling Jira from two callers, all succeeding.</summary>
    private static async Task<WorkerProcess[]> StartSucceedingAsync(Fleet fleet, int processes, string outage)
    {
        string good = fleet.NewToken();
        fleet.Emulator.AddAccount(Fleet.Username, good);
        fleet.WriteToken("Sync", good);
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
