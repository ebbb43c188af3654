using JiraConfigGen.Redis.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace JiraConfigGen.Redis.Tests;

/// <summary>
/// The runtime contract's scenarios across a fleet: four separate OS processes (not threads), each making
/// concurrent calls through real HTTP to the Jira emulator, sharing the account's guard state in a real
/// Redis. The emulator's own count of failed attempts is what is asserted.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FleetScenarioTests(SharedRedis redis, ITestOutputHelper output)
{
    private const int Processes = 4;
    private const int CallsPerProcess = 50;

    [SkippableFact]
    public async Task S2_WrongTokenInFourProcessesReachesJiraOnce()
    {
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.UseWrongToken(fleet.NewPassword());
        WorkerProcess[] workers = await fleet.StartWorkersAsync(Processes);

        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", CallsPerProcess)));

        LogReports(fleet, "S2", reports);
        Assert.Equal(1, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.Equal(1, reports.Sum(r => r["rejected"]));
        Assert.Equal((Processes * CallsPerProcess) - 1, reports.Sum(r => r["prevented:TokenRejected"]));
        // Each process's calls all ended as Jira's one rejection or a refusal for that token: no other outcome.
        Assert.All(reports, r => Assert.Equal(CallsPerProcess, r["rejected"] + r["prevented:TokenRejected"]));
        JiraGuardStatus shared = await fleet.SharedStatusAsync();
        Assert.Equal((1, 0, 1), (shared.FailedAttempts, shared.InFlight, shared.QuarantinedTokens));
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task S3_RevocationDuringFleetTrafficSpendsAtMostTwoAndRotationHealsEveryProcess()
    {
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        string first = fleet.UseValidToken();
        WorkerProcess[] workers = await fleet.StartWorkersAsync(Processes);
        await Task.WhenAll(workers.Select(w => w.LoopAsync("Sync", callers: 3)));
        await Fleet.EventuallyAsync(async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).All(r => r["ok"] >= 10), "every process succeeding");

        fleet.Emulator.RevokeToken(Fleet.Username, first);
        await Fleet.EventuallyAsync(async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).All(r => r["prevented:TokenRejected"] > 0), "every process refusing the revoked token");
        int afterRevocation = fleet.JiraAccount().FailedAttempts;
        WorkerReport[] beforeRotation = await Task.WhenAll(workers.Select(w => w.StatsAsync()));

        string second = fleet.NewToken();
        fleet.Emulator.AddToken(Fleet.Username, second);
        fleet.WriteToken("Sync", second);
        await Fleet.EventuallyAsync(
            async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).Zip(beforeRotation).All(p => p.First["ok"] > p.Second["ok"]),
            "every process succeeding with the rotated token");
        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StopAsync()));

        LogReports(fleet, "S3", reports);
        fleet.Log($"S3: failed attempts after the revocation: {afterRevocation}; in all: {fleet.JiraAccount().FailedAttempts}");
        Assert.InRange(afterRevocation, 1, 2);
        Assert.Equal(afterRevocation, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.Equal(afterRevocation, reports.Sum(r => r["rejected"]));
        Assert.All(reports, r => Assert.Equal(0, r["prevented:AttemptsSpent"]));
        JiraGuardStatus shared = await fleet.SharedStatusAsync();
        Assert.Equal(JiraLockoutReason.None, shared.Tripped);
        Assert.Equal(1, shared.QuarantinedTokens);
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task S5_StaleConnectionInEveryProcessCostsOneFailureWhileTheGoodOneKeepsWorking()
    {
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.UseValidToken();
        fleet.WriteToken("Legacy", fleet.NewToken());
        var files = new Dictionary<string, string> { ["Sync"] = "Sync", ["Legacy"] = "Legacy" };
        WorkerProcess[] workers = await Task.WhenAll(Enumerable.Range(1, Processes).Select(i => fleet.StartWorkerAsync($"worker-{i}", files)));
        await Task.WhenAll(workers.Select(w => w.LoopAsync("Sync", callers: 2)));
        await Fleet.EventuallyAsync(async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).All(r => r["ok"] >= 5), "every process succeeding");

        WorkerReport[] stale = await Task.WhenAll(workers.Select(w => w.StormAsync("Legacy", 20)));
        await Fleet.EventuallyAsync(
            async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).Zip(stale).All(p => p.First["ok"] >= p.Second["ok"] + 10),
            "the good connection still working in every process");
        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StopAsync()));

        LogReports(fleet, "S5", reports);
        Assert.Equal(1, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.Equal(1, reports.Sum(r => r["rejected"]));
        Assert.Equal((Processes * 20) - 1, reports.Sum(r => r["prevented:TokenRejected"]));
        Assert.All(reports, r => Assert.Equal(0, r["prevented:AttemptsSpent"]));
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task FourForgottenJobsWithFourStaleTokensCannotLockTheAccount()
    {
        // The failure the in-memory guard cannot see: four processes, each with its own stale token, each
        // allowed one attempt by a per-process guard, would be the four failures that lock the account.
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.Emulator.AddAccount(Fleet.Username, fleet.NewToken());
        var workers = new List<WorkerProcess>();
        for (int i = 1; i <= Processes; i++)
        {
            fleet.WriteToken($"Sync-{i}", fleet.NewToken());
            workers.Add(await fleet.StartWorkerAsync($"job-{i}", new Dictionary<string, string> { ["Sync"] = $"Sync-{i}" }));
        }

        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", 25)));

        LogReports(fleet, "Four stale jobs", reports);
        Assert.Equal(3, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.Equal(3, reports.Sum(r => r["rejected"]));
        Assert.Equal(1, reports.Count(r => r["rejected"] == 0));
        Assert.Contains(reports, r => r["prevented:AttemptsSpent"] > 0);
        JiraGuardStatus shared = await fleet.SharedStatusAsync();
        Assert.Equal((JiraLockoutReason.AttemptsSpent, 3), (shared.Tripped, shared.FailedAttempts));
        await fleet.AssertNothingSecretStoredAsync();
    }

    /// <summary>Redis's clock, in milliseconds: the clock the scripts stamp leases with.</summary>
    private static async Task<long> RedisNowAsync(IDatabase database)
    {
        RedisResult[] time = (RedisResult[])(await database.ExecuteAsync("TIME"))!;
        return ((long)time[0] * 1000) + ((long)time[1] / 1000);
    }

    /// <summary>The fleet account's in-flight set (<c>{prefix}{account}:inflight</c>).</summary>
    private static async Task<RedisKey> InFlightKeyAsync(Fleet fleet)
    {
        IServer server = fleet.Connection.GetServer(fleet.Connection.GetEndPoints()[0]);
        var keys = new List<RedisKey>();
        await foreach (RedisKey key in server.KeysAsync(pattern: fleet.Prefix + "*inflight"))
        {
            keys.Add(key);
        }

        return Assert.Single(keys);
    }

    [SkippableFact]
    public async Task KilledWorkerGivesItsSlotBackWhenTheLeaseEnds()
    {
        const int LeaseMilliseconds = 2_000;
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.UseValidToken();
        WorkerProcess victim = (await fleet.StartWorkersAsync(1, LeaseMilliseconds))[0];

        // Jira hangs; the victim's first call (the token's probe: the only one the fleet may make) waits on it.
        fleet.Emulator.ResponseDelay = TimeSpan.FromMinutes(1);
        await victim.SendAsync("storm Sync 1");
        await Fleet.EventuallyAsync(async () => (await fleet.SharedStatusAsync()).InFlight == 1, "the victim's call in flight");

        // The lease as Redis holds it, read from Redis rather than timed here: its end (the in-flight set's score) is at
        // most the lease's length past Redis's own clock, and the slot is not given back before that end.
        IDatabase database = fleet.Connection.GetDatabase();
        RedisKey inflight = await InFlightKeyAsync(fleet);
        SortedSetEntry lease = Assert.Single(await database.SortedSetRangeByRankWithScoresAsync(inflight));
        long leaseEnds = (long)lease.Score;
        long remaining = leaseEnds - await RedisNowAsync(database);
        Assert.InRange(remaining, 1, LeaseMilliseconds);
        await victim.KillAsync();
        Assert.Equal(1, (await fleet.SharedStatusAsync()).InFlight);

        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(2);
        await Fleet.EventuallyAsync(async () => (await fleet.SharedStatusAsync()).InFlight == 0, "the dead worker's lease to end", TimeSpan.FromSeconds(10));
        long releasedAt = await RedisNowAsync(database);
        JiraGuardStatus afterLease = await fleet.SharedStatusAsync();

        // The survivor's first call is the probe that the dead worker's lease held back.
        WorkerProcess survivor = (await fleet.StartWorkersAsync(1, LeaseMilliseconds))[0];
        WorkerReport report = await survivor.StormAsync("Sync", 20);
        JiraGuardStatus afterSuccess = await fleet.SharedStatusAsync();

        fleet.Log($"Lease ended {remaining} ms after it was read (lease {LeaseMilliseconds} ms); slot seen free {releasedAt - leaseEnds} ms after its end; counted as a possible failure: {afterLease.FailedAttempts}; survivor: {report}");
        Assert.True(releasedAt >= leaseEnds, $"the slot was given back {leaseEnds - releasedAt} ms before its lease ended");
        Assert.Equal(1, afterLease.FailedAttempts); // Jira may have counted the dead call: the budget assumes it did
        Assert.Equal(20, report["ok"]);
        Assert.Equal((0, 0), (afterSuccess.FailedAttempts, afterSuccess.InFlight)); // a success clears it, as in Jira
        Assert.Equal(0, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task S8_WrongTokenInFourProcessesWithCallersGivingUpReachesJiraOnce()
    {
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.UseWrongToken();
        WorkerProcess[] workers = await fleet.StartWorkersAsync(Processes);
        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(300);

        // Two storms in every process: half the callers time out at 100 ms, half cancel within 400 ms. On a loaded
        // machine every caller of a storm may give up before a request leaves (which counts nothing, rightly); then
        // storms go on, up to five, until Jira has seen the wrong token, so that the one failure the guard allows is
        // really spent and the claim "exactly one, however many storms" is tested.
        WorkerReport[] reports = [];
        int storms = 0;
        while (storms < 2 || (fleet.JiraAccount().FailedAttempts == 0 && storms < 5))
        {
            storms++;
            reports = await Task.WhenAll(workers.Select((w, i) => w.ImpatientStormAsync("Sync", CallsPerProcess, timeoutMs: 100, cancelWithinMs: 400, seed: (storms * 10) + i)));
            fleet.Log($"after storm {storms}: Jira counted {fleet.JiraAccount().FailedAttempts}");
        }

        JiraGuardStatus shared = await SettledAsync(fleet);
        LogReports(fleet, "S8 wrong token, fleet", reports);
        Assert.Equal(1, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        // No call succeeded, and every call ended as a rejection, a refusal or the caller giving up.
        Assert.All(reports, r => Assert.Equal(0, r["ok"]));
        Assert.All(reports, r => Assert.Equal(r.Calls, r["rejected"] + r.Prevented + r.Cancelled));
        Assert.True(reports.Sum(r => r.Cancelled) > 0, "the impatient callers must have given up");
        Assert.Equal((1, 1, JiraLockoutReason.None), (shared.FailedAttempts, shared.QuarantinedTokens, shared.Tripped));
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task S8_RevocationAndRotationWhileCallersGiveUpAcrossTheFleetNeverLock()
    {
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        string first = fleet.UseValidToken();
        WorkerProcess[] workers = await fleet.StartWorkersAsync(Processes);
        Assert.All(await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", 5))), r => Assert.Equal(5, r["ok"]));

        // Jira slows down, callers give up at random, and the token is revoked in the middle of it.
        // Storms follow one another until every process has learnt of the revocation.
        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(60);
        int successes = fleet.JiraAccount().Successes;
        WorkerReport[] reports = [];
        for (int round = 0; round == 0 || (round < 10 && !reports.All(r => r["prevented:TokenRejected"] > 0)); round++)
        {
            Task<WorkerReport[]> storms = Task.WhenAll(workers.Select((w, i) => w.ImpatientStormAsync("Sync", CallsPerProcess, timeoutMs: 40, cancelWithinMs: 150, seed: (round * 10) + i)));
            if (round == 0)
            {
                await Fleet.EventuallyAsync(() => Task.FromResult(fleet.JiraAccount().Successes >= successes + 3), "requests succeeding during the storm");
                fleet.Emulator.RevokeToken(Fleet.Username, first);
            }

            reports = await storms;
        }

        await SettledAsync(fleet);
        int afterRevocation = fleet.JiraAccount().FailedAttempts;

        // Rotation heals every process: each one's calls succeed again.
        string second = fleet.NewToken();
        fleet.Emulator.AddToken(Fleet.Username, second);
        fleet.WriteToken("Sync", second);
        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(2);
        await Fleet.EventuallyAsync(
            async () => (await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", 5)))).All(r => r["ok"] >= 10),
            "every process succeeding with the rotated token");

        LogReports(fleet, "S8 revocation, fleet", reports);
        fleet.Log($"S8 revocation, fleet: failed attempts after the revocation: {afterRevocation}; in all: {fleet.JiraAccount().FailedAttempts}");
        Assert.InRange(afterRevocation, 1, 2);
        Assert.Equal(afterRevocation, fleet.JiraAccount().FailedAttempts);
        Assert.False(fleet.JiraAccount().IsLocked);
        Assert.Equal(JiraLockoutReason.None, (await fleet.SharedStatusAsync()).Tripped);
        await fleet.AssertNothingSecretStoredAsync();
    }

    [SkippableFact]
    public async Task Liveness_JiraSlowerThanEveryCallerOfTheFleetNeitherCountsNorTripsAProvenToken()
    {
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.UseValidToken();
        WorkerProcess[] workers = await fleet.StartWorkersAsync(Processes);
        Assert.All(await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", 5))), r => Assert.Equal(5, r["ok"]));

        // Jira slows down past every caller's patience, in every process; then it is fast again.
        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(500);
        WorkerReport[] slow = await Task.WhenAll(workers.Select((w, i) => w.ImpatientStormAsync("Sync", CallsPerProcess, timeoutMs: 100, cancelWithinMs: 400, seed: i)));
        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(2);
        WorkerReport[] fast = await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", CallsPerProcess)));
        JiraGuardStatus shared = await SettledAsync(fleet);

        LogReports(fleet, "Liveness, slow Jira, fleet", fast);
        Assert.All(slow, r => Assert.Equal(CallsPerProcess, r.Cancelled));
        Assert.All(fast, r => Assert.Equal(5 + CallsPerProcess, r["ok"]));
        Assert.Equal((0, JiraLockoutReason.None), (shared.FailedAttempts, shared.Tripped));
        Assert.Equal((0, false), (fleet.JiraAccount().FailedAttempts, fleet.JiraAccount().IsLocked));
    }

    [SkippableFact]
    public async Task AdmissionsAreFairAcrossProcesses()
    {
        // Safe mode lets two requests of the account be in flight in the whole fleet. Four processes, eight callers
        // each, all calling as fast as they can: every process gets its turn, first come, first served.
        await using Fleet fleet = await Fleet.StartAsync(await redis.GetAsync(), output);
        fleet.UseValidToken();
        fleet.Emulator.ResponseDelay = TimeSpan.FromMilliseconds(10);
        WorkerProcess[] workers = await fleet.StartWorkersAsync(Processes);
        Assert.All(await Task.WhenAll(workers.Select(w => w.StormAsync("Sync", 1))), r => Assert.Equal(1, r["ok"]));

        await Task.WhenAll(workers.Select(w => w.LoopAsync("Sync", callers: 8)));
        await Fleet.EventuallyAsync(async () => (await Task.WhenAll(workers.Select(w => w.StatsAsync()))).Sum(r => r["ok"]) >= 400, "400 calls served");
        WorkerReport[] reports = await Task.WhenAll(workers.Select(w => w.StopAsync()));

        LogReports(fleet, "Fairness", reports);
        double mean = reports.Average(r => r["ok"]);
        fleet.Log($"Fairness: calls served per process {string.Join(", ", reports.Select(r => r["ok"]))}; the fewest is {reports.Min(r => r["ok"]) / mean:0.00} of the mean; at most {fleet.Emulator.MaxConcurrentRequests} in flight");
        Assert.All(reports, r => Assert.True(r["ok"] >= mean / 2, $"a process got {r["ok"]} turns where the mean is {mean:0}: {r}"));
        Assert.InRange(fleet.Emulator.MaxConcurrentRequests, 1, 2);
        Assert.Equal(0, fleet.JiraAccount().FailedAttempts);
    }

    /// <summary>Waits until no request of the fleet's account is in flight (the abandoned ones answered).</summary>
    private static async Task<JiraGuardStatus> SettledAsync(Fleet fleet)
    {
        JiraGuardStatus status = default;
        await Fleet.EventuallyAsync(async () => (status = await fleet.SharedStatusAsync()).InFlight == 0, "no request in flight");
        return status;
    }

    /// <summary>Logs each process's outcomes, and asserts that every call ended as ok, rejected, prevented or cancelled.</summary>
    private static void LogReports(Fleet fleet, string scenario, WorkerReport[] reports)
    {
        fleet.Log($"{scenario}: Jira counted {fleet.JiraAccount().FailedAttempts} failed attempt(s), {fleet.JiraAccount().Successes} success(es); locked: {fleet.JiraAccount().IsLocked}");
        for (int i = 0; i < reports.Length; i++)
        {
            fleet.Log($"  process {i + 1}: {reports[i]}");
        }

        Assert.All(reports, r => r.AssertOnlyKnownOutcomes());
    }
}
