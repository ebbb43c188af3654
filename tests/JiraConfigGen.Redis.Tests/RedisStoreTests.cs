using System.Security.Cryptography;
using System.Text;
using JiraConfigGen.Redis.Tests.Infrastructure;
using JiraConfigGen.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace JiraConfigGen.Redis.Tests;

/// <summary>The Redis store in this process, against a real Redis: its rules, its token identifiers, its wiring.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStoreTests(SharedRedis redis)
{
    private static readonly JiraAccount Account = new("contoso.atlassian.net", "sync-bot@contoso.test");
    private static readonly JiraAttemptOutcome[] Outcomes =
        [JiraAttemptOutcome.Authenticated, JiraAttemptOutcome.Authenticated, JiraAttemptOutcome.Authenticated, JiraAttemptOutcome.Rejected, JiraAttemptOutcome.Rejected, JiraAttemptOutcome.Inconclusive, JiraAttemptOutcome.Unanswered, JiraAttemptOutcome.Locked];

    /// <summary>
    /// The Lua scripts and the in-memory store are two implementations of one set of rules: random
    /// sequences of admissions, outcomes and resets must get the same decision from both at every step.
    /// </summary>
    [SkippableFact]
    public async Task RedisDecidesExactlyAsTheInMemoryStoreOnRandomSchedules()
    {
        using ConnectionMultiplexer connection = await ConnectAsync();
        int steps = 0, admitted = 0, refused = 0, waited = 0;
        for (int seed = 0; seed < 120; seed++)
        {
            var random = new Random(seed);
            JiraGuardPolicy policy = seed % 3 == 2 ? new JiraGuardPolicy(3, 4) : new JiraGuardPolicy(seed % 2 == 0 ? 3 : 2, 0);
            IJiraGuardAccount memory = new InMemoryJiraGuardStore().GetAccount(Account);
            using var store = new RedisJiraGuardStore(connection, new RedisGuardOptions { KeyPrefix = $"jcgtest:{Guid.NewGuid():N}:", TokenIdIterations = 10_000 });
            IJiraGuardAccount shared = store.GetAccount(Account);
            var open = new List<(JiraAdmission Memory, JiraAdmission Redis)>();
            for (int step = 0; step < 40; step++, steps++)
            {
                string where = $"seed {seed}, step {step}, policy ({policy.MaxFailedAttempts}, {policy.ThroughputConcurrency})";
                int roll = random.Next(100);
                if (roll < 3)
                {
                    await memory.ResetAsync(CancellationToken.None);
                    await shared.ResetAsync(CancellationToken.None);
                }
                else if (open.Count > 0 && roll < 50)
                {
                    int i = random.Next(open.Count);
                    JiraAttemptOutcome outcome = Outcomes[random.Next(Outcomes.Length)];
                    bool pipelined = outcome == JiraAttemptOutcome.Authenticated && !open[i].Redis.IsProbe;
                    JiraGuardStatus expected = await memory.CompleteAsync(open[i].Memory, outcome, policy, CancellationToken.None);
                    JiraGuardStatus actual = await shared.CompleteAsync(open[i].Redis, outcome, policy, CancellationToken.None);
                    open.RemoveAt(i);

                    // A plain success is pipelined (its returned status is the admission's view); every other
                    // outcome returns the state after it. Either way the stored states must agree.
                    Assert.True(pipelined || Same(expected, actual), $"{where}: after {outcome}, in memory {Show(expected)}, in Redis {Show(actual)}");
                    expected = await memory.GetStatusAsync(CancellationToken.None);
                    actual = await shared.GetStatusAsync(CancellationToken.None);
                    Assert.True(Same(expected, actual), $"{where}: state after {outcome}, in memory {Show(expected)}, in Redis {Show(actual)}");
                }
                else
                {
                    string token = "token-" + random.Next(3);
                    JiraAdmission expected = await memory.TryAdmitAsync(token, policy, CancellationToken.None);
                    JiraAdmission actual = await shared.TryAdmitAsync(token, policy, CancellationToken.None);
                    Assert.True(
                        (expected.Decision, expected.Reason, expected.IsProbe, expected.FailedAttempts) == (actual.Decision, actual.Reason, actual.IsProbe, actual.FailedAttempts),
                        $"{where}: admitting {token}, in memory {expected.Decision}/{expected.Reason}/probe {expected.IsProbe}/{expected.FailedAttempts} failures, in Redis {actual.Decision}/{actual.Reason}/probe {actual.IsProbe}/{actual.FailedAttempts} failures");
                    switch (expected.Decision)
                    {
                        case JiraAdmissionDecision.Proceed:
                            admitted++;
                            open.Add((expected, actual));
                            break;
                        case JiraAdmissionDecision.Refuse:
                            refused++;
                            break;
                        default:
                            // The caller gives up waiting: it leaves both queues.
                            waited++;
                            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => memory.WaitAsync(expected, Cancelled).AsTask());
                            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => shared.WaitAsync(actual, Cancelled).AsTask());
                            break;
                    }
                }
            }
        }

        // The schedules reach every kind of decision, or the comparison would prove little.
        Assert.True(admitted > 500 && refused > 200 && waited > 100, $"{steps} steps: {admitted} admitted, {refused} refused, {waited} waited");
    }

    [SkippableFact]
    public async Task TokenIdentifierIsEqualAcrossProcessesAndRevealsNothing()
    {
        RedisServer server = await redis.GetAsync();
        using RedisJiraGuardStore one = RedisJiraGuardStore.Connect(server.Configuration, new RedisGuardOptions { TokenIdIterations = 10_000 });
        using RedisJiraGuardStore other = RedisJiraGuardStore.Connect(server.Configuration, new RedisGuardOptions { TokenIdIterations = 10_000 });
        JiraSecret token = Secret("ATATT3xFfGF0-token-one");

        string id = await one.GetAccount(Account).IdentifyTokenAsync(token, CancellationToken.None);
        string again = await other.GetAccount(Account).IdentifyTokenAsync(Secret("ATATT3xFfGF0-token-one"), CancellationToken.None);
        string otherToken = await other.GetAccount(Account).IdentifyTokenAsync(Secret("ATATT3xFfGF0-token-two"), CancellationToken.None);
        string otherAccount = await other.GetAccount(new JiraAccount("contoso.atlassian.net", "another@contoso.test")).IdentifyTokenAsync(token, CancellationToken.None);

        Assert.Equal(id, again);
        Assert.NotEqual(id, otherToken);
        Assert.NotEqual(id, otherAccount); // salted by account: one table per account, not one for all
        byte[] plain = Encoding.UTF8.GetBytes(token.RevealValue());
        Assert.NotEqual(Convert.ToBase64String(SHA256.HashData(plain)), id);
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(plain, Encoding.UTF8.GetBytes("JiraConfigGen/" + Account.Key), 10_000, HashAlgorithmName.SHA256, 32);
        Assert.Equal(Convert.ToBase64String(expected), id);
    }

    [SkippableFact]
    public async Task TokenIdentifierWithAFleetKeyIsAnHmacThatOnlyTheKeyReproduces()
    {
        RedisServer server = await redis.GetAsync();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using RedisJiraGuardStore keyed = RedisJiraGuardStore.Connect(server.Configuration, new RedisGuardOptions { TokenIdKey = key });
        using RedisJiraGuardStore sameKey = RedisJiraGuardStore.Connect(server.Configuration, new RedisGuardOptions { TokenIdKey = key });
        using RedisJiraGuardStore otherKey = RedisJiraGuardStore.Connect(server.Configuration, new RedisGuardOptions { TokenIdKey = RandomNumberGenerator.GetBytes(32) });
        JiraSecret password = Secret("Summer2026!");

        string id = await keyed.GetAccount(Account).IdentifyTokenAsync(password, CancellationToken.None);

        Assert.Equal(id, await sameKey.GetAccount(Account).IdentifyTokenAsync(password, CancellationToken.None));
        Assert.NotEqual(id, await otherKey.GetAccount(Account).IdentifyTokenAsync(password, CancellationToken.None));
        byte[] salted = Encoding.UTF8.GetBytes("JiraConfigGen/" + Account.Key + "Summer2026!");
        Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData(key, salted)), id);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    [InlineData(600_000)]
    public void Pbkdf2ForNetStandardMatchesTheBcl(int iterations)
    {
        byte[] password = Encoding.UTF8.GetBytes("ATATT3xFfGF0-password");
        byte[] salt = Encoding.UTF8.GetBytes("JiraConfigGen/CONTOSO.ATLASSIAN.NET|SYNC-BOT@CONTOSO.TEST");

        Assert.Equal(Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32), Pbkdf2.DeriveSha256(password, salt, iterations));
    }

    [SkippableFact]
    public async Task EveryKeyIsUnderThePrefixOneSlotPerAccountAndExpires()
    {
        using ConnectionMultiplexer connection = await ConnectAsync();
        string prefix = $"jcgtest:{Guid.NewGuid():N}:";
        using var store = new RedisJiraGuardStore(connection, new RedisGuardOptions { KeyPrefix = prefix, KeyTimeToLive = TimeSpan.FromMinutes(10), TokenIdIterations = 10_000 });
        IJiraGuardAccount account = store.GetAccount(Account);
        var policy = new JiraGuardPolicy(3, 0);
        JiraAdmission probe = await account.TryAdmitAsync("proven", policy, CancellationToken.None);
        await account.CompleteAsync(probe, JiraAttemptOutcome.Authenticated, policy, CancellationToken.None);
        JiraAdmission stale = await account.TryAdmitAsync("stale", policy, CancellationToken.None);
        await account.CompleteAsync(stale, JiraAttemptOutcome.Rejected, policy, CancellationToken.None);
        await account.TryAdmitAsync("proven", policy, CancellationToken.None); // leaves a lease in flight

        IServer server = connection.GetServer(connection.GetEndPoints()[0]);
        RedisKey[] keys = await server.KeysAsync(pattern: prefix + "*").ToArrayAsync();
        string slot = store.KeyPrefixFor(Account);

        Assert.Equal(
            new[] { "failures", "inflight", "proven", "quarantined", "state" },
            keys.Select(k => k.ToString()).Select(k => { Assert.StartsWith(slot, k); return k[slot.Length..]; }).Order());
        Assert.DoesNotContain("sync-bot", slot, StringComparison.OrdinalIgnoreCase);
        foreach (RedisKey key in keys)
        {
            TimeSpan? ttl = await connection.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.FromMinutes(9) && t <= TimeSpan.FromMinutes(10), $"{key}: {ttl}");
        }
    }

    [SkippableFact]
    public async Task UseRedisGuardStoreReplacesTheInMemoryStoreInTheContainer()
    {
        RedisServer server = await redis.GetAsync();
        var services = new ServiceCollection();
        services.AddJiraConnections([new JiraConnection("Sync", "sync-bot@contoso.test", "contoso.atlassian.net", JiraSecretReference.Environment("JIRA_TOKEN"))])
            .UseRedisGuardStore(server.Configuration, o => o.KeyPrefix = "myapp:jira:");

        using ServiceProvider provider = services.BuildServiceProvider();

        RedisJiraGuardStore store = Assert.IsType<RedisJiraGuardStore>(provider.GetRequiredService<IJiraGuardStore>());
        Assert.Equal("myapp:jira:", store.Options.KeyPrefix);
        Assert.Single(services, d => d.ServiceType == typeof(IJiraGuardStore));

        // The container's guard reads Redis: a trip written straight into the account's state key is what it reports.
        var account = new JiraAccount("contoso.atlassian.net", "sync-bot@contoso.test");
        JiraLockoutGuard guard = provider.GetRequiredService<JiraLockoutGuard>();
        Assert.Equal(JiraLockoutReason.None, (await guard.GetStatusAsync(account)).Tripped);
        string stateKey = System.Text.RegularExpressions.Regex.Match(store.GetAccount(account).ResetInstructions, "HSET \"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("myapp:jira:", stateKey, StringComparison.Ordinal);
        using ConnectionMultiplexer connection = await ConnectAsync();
        await connection.GetDatabase().HashSetAsync(stateKey, "tripped", (int)JiraLockoutReason.AttemptsSpent);
        try
        {
            Assert.Equal(JiraLockoutReason.AttemptsSpent, (await guard.GetStatusAsync(account)).Tripped);
        }
        finally
        {
            await connection.GetDatabase().KeyDeleteAsync(stateKey);
        }
    }

    [SkippableFact]
    public async Task OnlyTheFirstWaitingCallerOfAProcessAsksRedisAndWaitingCostsNothingWhileNothingChanges()
    {
        using ConnectionMultiplexer connection = await ConnectAsync();
        using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync((await redis.GetAsync()).Configuration + ",allowAdmin=true");
        IServer server = admin.GetServer(admin.GetEndPoints()[0]);
        long Scripts() => server.Info("commandstats").SelectMany(g => g).Where(p => p.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(p => long.Parse(p.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
        using var store = new RedisJiraGuardStore(connection, new RedisGuardOptions { KeyPrefix = $"jcgtest:{Guid.NewGuid():N}:", PollInterval = TimeSpan.FromSeconds(30), TokenIdIterations = 10_000 });
        IJiraGuardAccount account = store.GetAccount(Account);
        var safe = new JiraGuardPolicy(3, 0);
        JiraAdmission probe = await account.TryAdmitAsync("good", safe, CancellationToken.None);
        await account.CompleteAsync(probe, JiraAttemptOutcome.Authenticated, safe, CancellationToken.None);
        JiraAdmission first = await account.TryAdmitAsync("good", safe, CancellationToken.None);
        await account.TryAdmitAsync("good", safe, CancellationToken.None); // both places of safe mode taken

        long beforeQueueing = Scripts();
        JiraAdmission[] queued = new JiraAdmission[10];
        for (int i = 0; i < queued.Length; i++)
        {
            queued[i] = await account.TryAdmitAsync("good", safe, CancellationToken.None);
        }

        Task<JiraAdmission>[] turns = queued.Select(q => account.WaitAsync(q, CancellationToken.None).AsTask()).ToArray();
        long afterQueueing = Scripts();
        await Task.Delay(1_000); // nothing changes meanwhile
        long whileWaiting = Scripts() - afterQueueing;

        await account.CompleteAsync(first, JiraAttemptOutcome.Authenticated, safe, CancellationToken.None);
        JiraAdmission turn = await turns[0];

        Assert.All(queued, q => Assert.Equal(JiraAdmissionDecision.Wait, q.Decision));
        Assert.Equal(1, afterQueueing - beforeQueueing); // ten callers queued: only the first asked Redis
        Assert.Equal(0, whileWaiting);
        Assert.Equal(JiraAdmissionDecision.Proceed, turn.Decision); // woken by the completion Redis published
        Assert.All(turns.Skip(1), t => Assert.False(t.IsCompleted));
    }

    [Fact]
    public void EverySpellingOfOneAccountHasTheSameKeys()
    {
        using RedisJiraGuardStore store = RedisJiraGuardStore.Connect("127.0.0.1:1"); // connects on first use: never, here

        string key = store.KeyPrefixFor(new JiraAccount("jira.example.com", "sync-bot@contoso.test"));

        Assert.Equal(key, store.KeyPrefixFor(new JiraAccount("JIRA.example.com.:443", "Sync-Bot@Contoso.test")));
        Assert.NotEqual(key, store.KeyPrefixFor(new JiraAccount("jira.example.com:8443", "sync-bot@contoso.test")));
    }

    [SkippableFact]
    public async Task TheResetTheFixNamesIsOneAnOperatorCanRunAndItClearsTheTripForTheFleet()
    {
        // The account trips in Redis; the health check (what an operator looks at) says what to run; running exactly
        // that against Redis clears the trip for every process, and no text says that a restart would.
        using ConnectionMultiplexer connection = await ConnectAsync();
        var options = new RedisGuardOptions { KeyPrefix = $"jcgtest:{Guid.NewGuid():N}:", TokenIdIterations = 10_000 };
        using var store = new RedisJiraGuardStore(connection, options);
        var guard = new JiraLockoutGuard(store: store);
        var sync = new JiraConnection("Sync", Account.Username, Account.Instance, JiraSecretReference.Environment("JIRA_SYNC_TOKEN"));
        IJiraGuardAccount shared = store.GetAccount(Account);
        for (int i = 0; i < 3; i++)
        {
            JiraAdmission probe = await shared.TryAdmitAsync("stale-" + i, guard.Options.ToPolicy(), CancellationToken.None);
            await shared.CompleteAsync(probe, JiraAttemptOutcome.Rejected, guard.Options.ToPolicy(), CancellationToken.None);
        }

        var check = new JiraConnectionsHealthCheck(guard, [sync]);
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult tripped = await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, tripped.Status);
        Assert.DoesNotContain("restart that process", tripped.Description!, StringComparison.Ordinal);
        Assert.DoesNotContain("restart the process", shared.ResetInstructions, StringComparison.Ordinal);
        Assert.Contains("restarting processes does not clear it", tripped.Description!, StringComparison.Ordinal);
        Assert.Contains($"run jira-connections guard reset --redis HOST:PORT --key-prefix \"{options.KeyPrefix}\" --account \"{Account.Instance}/{Account.Username}\"", tripped.Description!, StringComparison.Ordinal);

        // What the text says to run, run as written.
        var commands = System.Text.RegularExpressions.Regex.Matches(tripped.Description!, "(DEL|HSET) \"([^\"]+)\"( tripped 0)?").ToList();
        Assert.Equal(["DEL", "HSET"], commands.Select(m => m.Groups[1].Value));
        IDatabase database = connection.GetDatabase();
        await database.KeyDeleteAsync(commands[0].Groups[2].Value);
        await database.HashSetAsync(commands[1].Groups[2].Value, "tripped", 0);

        Assert.Equal((JiraLockoutReason.None, 0), await TrippedAndFailuresAsync(shared));
        IJiraGuardAccount elsewhere = new RedisJiraGuardStore(connection, options).GetAccount(Account); // another process of the fleet
        Assert.Equal((JiraLockoutReason.None, 0), await TrippedAndFailuresAsync(elsewhere));
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext())).Status);
    }

    [Fact]
    public void OptionsOutOfRangeAreRejectedWithWhatToFix()
    {
        Assert.Contains("KeyPrefix must not be blank", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisGuardOptions { KeyPrefix = " " }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("LeaseDuration must be at least 1 second", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisGuardOptions { LeaseDuration = TimeSpan.FromMilliseconds(10) }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("at least 16 bytes", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisGuardOptions { TokenIdKey = new byte[8] }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("at least 10,000", Assert.Throws<ArgumentOutOfRangeException>(() => new RedisGuardOptions { TokenIdIterations = 1000 }.Validate()).Message, StringComparison.Ordinal);
        new RedisGuardOptions().Validate();
    }

    private static CancellationToken Cancelled => new(canceled: true);

    private static async Task<(JiraLockoutReason, int)> TrippedAndFailuresAsync(IJiraGuardAccount account)
    {
        JiraGuardStatus status = await account.GetStatusAsync(CancellationToken.None);
        return (status.Tripped, status.FailedAttempts);
    }

    private async Task<ConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync((await redis.GetAsync()).Configuration);

    /// <summary>A token as the application gets it: resolved from configuration.</summary>
    private static JiraSecret Secret(string value)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:Sync:ApiToken", value)]).Build();
        return new JiraSecretResolver(configuration).Resolve(new JiraConnection("Sync", Account.Username, Account.Instance, JiraSecretReference.Configuration("Jira:Sync:ApiToken")));
    }

    private static bool Same(JiraGuardStatus a, JiraGuardStatus b) =>
        (a.FailedAttempts, a.InFlight, a.Tripped, a.QuarantinedTokens) == (b.FailedAttempts, b.InFlight, b.Tripped, b.QuarantinedTokens);

    private static string Show(JiraGuardStatus s) => $"{s.FailedAttempts} failures, {s.InFlight} in flight, tripped {s.Tripped}, {s.QuarantinedTokens} quarantined";
}
