using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using JiraConfigGen.Redis;
using StackExchange.Redis;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// The Redis store's cost per request on the success path, against one Redis round trip (a PING on the
/// same connection) and against the in-memory store. Goal: one awaited round trip per request, so the
/// Redis-store request costs about one PING. Uses <c>JCG_REDIS</c> when set, else starts redis-server.
/// </summary>
[MemoryDiagnoser]
public class RedisGuardBenchmarks
{
    private readonly HttpRequestMessage _request = new(HttpMethod.Get, new Uri(Pipelines.Connection.BaseAddress, "rest/api/3/myself"));
    private Process? _server;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _database = null!;
    private HttpMessageInvoker _inMemory = null!;
    private HttpMessageInvoker _redis = null!;

    [GlobalSetup]
    public void Setup()
    {
        string configuration = Environment.GetEnvironmentVariable("JCG_REDIS") ?? StartServer();
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true; // for INFO commandstats
        _connection = ConnectionMultiplexer.Connect(options);
        _database = _connection.GetDatabase();
        var store = new RedisJiraGuardStore(_connection, new RedisGuardOptions { KeyPrefix = $"jcgbench:{Guid.NewGuid():N}:" });
        _inMemory = Pipelines.WithGuard();
        _redis = new HttpMessageInvoker(new JiraLockoutGuardHandler(Pipelines.Connection, Pipelines.Resolver(), new JiraLockoutGuard(store: store)) { InnerHandler = new InstantJira() });

        // The first request proves the token; from then on every request takes the success path.
        _inMemory.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();
        _redis.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();
        CountCommandsPerRequest();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _server?.Kill();
        _server?.WaitForExit();
    }

    [Benchmark(Baseline = true, Description = "One Redis round trip (PING)")]
    public TimeSpan Ping() => _database.PingAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "Request, guard with the Redis store")]
    public HttpResponseMessage RedisStore() => _redis.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Description = "Request, guard with the in-memory store")]
    public HttpResponseMessage InMemoryStore() => _inMemory.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Prints the Redis commands (scripts) that 1,000 successful requests cost, counted by the server.</summary>
    private void CountCommandsPerRequest()
    {
        IServer server = _connection.GetServer(_connection.GetEndPoints()[0]);
        long Scripts() => server.Info("commandstats").SelectMany(g => g).Where(p => p.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(p => long.Parse(p.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
        long before = Scripts();
        for (int i = 0; i < 1_000; i++)
        {
            _redis.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();
        }

        _database.Ping(); // after the pipelined completions
        Console.WriteLine($"// Redis scripts per successful request: {(Scripts() - before) / 1000.0:0.00} (the admission, awaited; the completion, pipelined)");
    }

    private string StartServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _server = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no") { RedirectStandardOutput = true })!;
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", port);
                break;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return $"127.0.0.1:{port}";
    }
}
