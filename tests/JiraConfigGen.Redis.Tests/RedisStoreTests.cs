using System.Security.Cryptography;
using System.Text;
using JiraConfigGen.Redis.Tests.Infrastructure;
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
        [JiraAttemptOutcome.Authenticated, JiraAttemptOutcome.Authenticated, JiraAttemptOutcome.Authenticated, JiraAttemptOutcome.Rejected, JiraAttemptOutcome.Rejected, JiraAttemptOutcome.Inconclusive, JiraAttemptOutcome.Locked];

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
                            waited++;
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
        Assert.NotNull(provider.GetRequiredService<JiraLockoutGuard>());
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
