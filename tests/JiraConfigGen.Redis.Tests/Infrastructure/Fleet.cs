using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using JiraConfigGen.Emulator;
using JiraConfigGen.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace JiraConfigGen.Redis.Tests.Infrastructure;

/// <summary>
/// A fleet sharing one Jira account: the Jira emulator on Kestrel, a real Redis, token files that the
/// workers read (an operator's rotation rewrites them), worker processes, and this process's own view of
/// the shared state. Each fleet has its own key prefix, so fleets never see each other's state.
/// </summary>
public sealed class Fleet : IAsyncDisposable
{
    public const string Username = "sync-bot@contoso.test";

    private readonly List<string> _secrets = [];
    private readonly List<WorkerProcess> _workers = [];
    private readonly ITestOutputHelper _output;
    private readonly string _directory;

    private Fleet(JiraEmulator emulator, RedisServer redis, ConnectionMultiplexer connection, ITestOutputHelper output)
    {
        Emulator = emulator;
        Redis = redis;
        Connection = connection;
        _output = output;
        _directory = Directory.CreateTempSubdirectory("jcg-fleet-").FullName;
        Prefix = $"jcgtest:{Guid.NewGuid():N}:";
        Inspector = new RedisJiraGuardStore(connection, new RedisGuardOptions { KeyPrefix = Prefix, TokenIdIterations = 10_000 });
        Account = ConnectionNamed("Sync").Account;
    }

    public JiraEmulator Emulator { get; }

    public RedisServer Redis { get; }

    /// <summary>This process's connection to Redis, for looking at the state and scanning every key.</summary>
    public ConnectionMultiplexer Connection { get; }

    public string Prefix { get; }

    /// <summary>The store as this process sees it: the shared state of the fleet's account.</summary>
    public RedisJiraGuardStore Inspector { get; }

    public JiraAccount Account { get; }

    public static async Task<Fleet> StartAsync(RedisServer redis, ITestOutputHelper output)
    {
        JiraEmulator emulator = await JiraEmulator.StartAsync();
        emulator.ResponseDelay = TimeSpan.FromMilliseconds(2);
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.AbortOnConnectFail = false;
        return new Fleet(emulator, redis, await ConnectionMultiplexer.ConnectAsync(options), output);
    }

    /// <summary>A fresh API token, remembered for the leak scan.</summary>
    public string NewToken() => Remember("ATATT3xFfGF0" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', 'x').Replace('/', 'y'));

    /// <summary>The account, with a valid token in the file of connection Sync; returns the token.</summary>
    public string UseValidToken()
    {
        string token = NewToken();
        Emulator.AddAccount(Username, token);
        WriteToken("Sync", token);
        return token;
    }

    /// <summary>The account, with a token it does not know in the file of connection Sync (<paramref name="wrong"/>, or a new one).</summary>
    public void UseWrongToken(string? wrong = null)
    {
        Emulator.AddAccount(Username, NewToken());
        WriteToken("Sync", wrong ?? NewToken());
    }

    /// <summary>A weak Data Center-style password (brute-forceable from a fast hash), remembered for the leak scan.</summary>
    public string NewPassword() => Remember("Summer" + RandomNumberGenerator.GetInt32(1000, 9999) + "!");

    /// <summary>Writes a token file (atomically, as a secret mount's update does); workers read it by path.</summary>
    public string WriteToken(string file, string token)
    {
        string path = Path.Combine(_directory, file);
        File.WriteAllText(path + ".tmp", token);
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    public JiraConnection ConnectionNamed(string nickname) =>
        new(nickname, Username, Emulator.InstanceUrl, JiraSecretReference.File(Path.Combine(_directory, nickname)));

    /// <summary>
    /// Starts a worker process whose connections read their tokens from the given files (by default, each
    /// connection from the file of its own name).
    /// </summary>
    public async Task<WorkerProcess> StartWorkerAsync(string name, IReadOnlyDictionary<string, string> connectionFiles, int leaseMilliseconds = 30_000, string outage = "fallback")
    {
        var arguments = new List<string>
        {
            "--redis", Redis.Configuration, "--jira", Emulator.InstanceUrl, "--user", Username, "--prefix", Prefix,
            "--lease-ms", leaseMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--outage", outage,
        };
        foreach ((string nickname, string file) in connectionFiles)
        {
            arguments.AddRange(["--conn", $"{nickname}={Path.Combine(_directory, file)}"]);
        }

        WorkerProcess worker = await WorkerProcess.StartAsync(name, arguments);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    /// <summary>Starts <paramref name="count"/> workers at once, each with connection Sync on file Sync.</summary>
    public async Task<WorkerProcess[]> StartWorkersAsync(int count, int leaseMilliseconds = 30_000, string outage = "fallback") =>
        await Task.WhenAll(Enumerable.Range(1, count).Select(i => StartWorkerAsync($"worker-{i}", new Dictionary<string, string> { ["Sync"] = "Sync" }, leaseMilliseconds, outage)));

    public JiraEmulatorAccount JiraAccount() => Emulator.GetAccount(Username);

    public ValueTask<JiraGuardStatus> SharedStatusAsync() => Inspector.GetAccount(Account).GetStatusAsync(CancellationToken.None);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<TimeSpan> EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"Timed out after {waited.Elapsed.TotalSeconds:0.0} s waiting for: {what}");
            await Task.Delay(25);
        }

        return waited.Elapsed;
    }

    public void Log(string line) => _output.WriteLine(line);

    /// <summary>
    /// Reads every key of the Redis database (not only this fleet's) and every value in it, and every line
    /// the workers printed, and fails if any holds a secret of this fleet: the token or password itself, the
    /// Basic credential, or a fast hash of either (SHA-256, SHA-1, MD5; hex or base64). Also checks that
    /// every key of this fleet is under its prefix with a time to live.
    /// </summary>
    public async Task AssertNothingSecretStoredAsync()
    {
        IReadOnlyList<string> forbidden = SecretForms.Of(_secrets, Username);

        IDatabase database = Connection.GetDatabase();
        IServer server = Connection.GetServer(Connection.GetEndPoints()[0]);
        int keys = 0, ours = 0;
        await foreach (RedisKey key in server.KeysAsync(pattern: "*"))
        {
            keys++;
            var texts = new List<string> { key.ToString() };
            switch (await database.KeyTypeAsync(key))
            {
                case RedisType.String:
                    texts.Add((await database.StringGetAsync(key)).ToString());
                    break;
                case RedisType.Hash:
                    texts.AddRange((await database.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name.ToString(), e.Value.ToString() }));
                    break;
                case RedisType.Set:
                    texts.AddRange((await database.SetMembersAsync(key)).Select(v => v.ToString()));
                    break;
                case RedisType.SortedSet:
                    texts.AddRange((await database.SortedSetRangeByRankWithScoresAsync(key)).Select(e => $"{e.Element} {e.Score}"));
                    break;
                case RedisType.List:
                    texts.AddRange((await database.ListRangeAsync(key)).Select(v => v.ToString()));
                    break;
            }

            AssertNone(forbidden, texts, $"Redis key {key}");
            if (key.ToString().StartsWith(Prefix, StringComparison.Ordinal))
            {
                ours++;
                TimeSpan? ttl = await database.KeyTimeToLiveAsync(key);
                Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromHours(24), $"Key {key} should expire within the store's time to live, but its TTL is {ttl?.ToString() ?? "none"}");
            }
        }

        lock (_workers)
        {
            foreach (WorkerProcess worker in _workers)
            {
                AssertNone(forbidden, worker.Output, $"the output of {worker.Name}");
            }
        }

        Assert.True(ours > 0, $"The scan found none of this fleet's keys (prefix {Prefix}) among {keys}: it would pass vacuously.");
        Log($"Leak scan: {keys} Redis key(s), {ours} of this fleet, every value, and all worker output hold none of {_secrets.Count} secret(s) in {forbidden.Count} forms.");
    }

    public async ValueTask DisposeAsync()
    {
        WorkerProcess[] workers;
        lock (_workers)
        {
            workers = [.. _workers];
        }

        foreach (WorkerProcess worker in workers)
        {
            await worker.DisposeAsync();
        }

        Inspector.Dispose();
        await Connection.DisposeAsync();
        await Emulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static void AssertNone(IReadOnlyList<string> forbidden, IEnumerable<string> texts, string where)
    {
        foreach (string text in texts)
        {
            foreach (string secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret (or a fast hash of one) is in {where}: {text}");
            }
        }
    }

    private string Remember(string secret)
    {
        _secrets.Add(secret);
        return secret;
    }
}
