using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using JiraConfigGen.Redis;
using StackExchange.Redis;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// Many callers on one account, as an application gets them (factory clients over a Jira that answers in a few
/// milliseconds), measured side by side in one run and printed as ratios: requests per second as a fraction of the
/// design bound (in-flight limit ÷ Jira's latency, the latency measured in the same run), bytes allocated and lock
/// contentions per request; with the Redis store, Lua scripts and published messages per request, counted by Redis
/// (<c>INFO commandstats</c>), with one process of 64 callers and four processes of 16 (this program, started again).
/// Every variant runs in every round, in a rotating order, so this VM's slow phases reach all of them.
/// </summary>
internal static class LoadHarness
{
    public const string Switch = "--load";
    public const string ChildSwitch = "--load-child";

    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(5);

    public static int Run(string[] args)
    {
        int rounds = args.Length > 1 && int.TryParse(args[1], out int r) && r > 0 ? r : 3;
        TimeSpan window = TimeSpan.FromSeconds(args.Length > 2 && int.TryParse(args[2], out int s) && s > 0 ? s : 3);
        string only = args.Length > 3 ? args[3] : string.Empty;
        Console.WriteLine($"{rounds} rounds of {window.TotalSeconds:0} s per variant; .NET {Environment.Version}, {Environment.ProcessorCount} cores; Jira answers in {Latency.TotalMilliseconds:0} ms (Task.Delay)");
        if (only != "redis")
        {
            Contention(rounds, window);
        }

        if (only != "contention")
        {
            Redis(rounds, window);
        }

        return 0;
    }

    /// <summary>64 callers through the in-memory guard (safe and throughput mode), a SemaphoreSlim limiter and Polly's breaker.</summary>
    private static void Contention(int rounds, TimeSpan window)
    {
        double latency = MeasureLatency();
        Console.WriteLine($"Jira's latency as one caller sees it through a factory client: {latency:0.000} ms");
        var variants = new (string Name, int Limit, Func<UserClients> Clients, Func<UserClients, HttpClient> Client)[]
        {
            ("Guard, safe mode (2 in flight)", 2, () => UserClients.Create(() => new SlowJira(Latency)), c => c.Jira(UserClients.ConfigConnection)),
            ("Guard, throughput mode (16)", 16, () => UserClients.Create(() => new SlowJira(Latency), g => g.Mode = JiraGuardMode.Throughput), c => c.Jira(UserClients.ConfigConnection)),
            ("SemaphoreSlim limiter (2)", 2, () => UserClients.Create(() => new SlowJira(Latency), limit: 2), c => c.Named("limiter")),
            ("SemaphoreSlim limiter (16)", 16, () => UserClients.Create(() => new SlowJira(Latency), limit: 16), c => c.Named("limiter")),
            ("Polly circuit breaker (no limit)", 64, () => UserClients.Create(() => new SlowJira(Latency)), c => c.Named("breaker")),
        };
        var results = variants.Select(_ => new List<Sample>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < variants.Length; k++)
            {
                int v = (k + round) % variants.Length;
                using UserClients clients = variants[v].Clients();
                clients.Prove();
                results[v].Add(Measure(variants[v].Client(clients), callers: 64, window));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| 64 callers, one account | Requests/s | Fraction of the bound | Bytes per request | Lock contentions per request |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (int v = 0; v < variants.Length; v++)
        {
            double bound = variants[v].Limit / (latency / 1000);
            Sample median = Median(results[v]);
            Console.WriteLine(FormattableString.Invariant($"| {variants[v].Name} | {median.PerSecond:0} | {median.PerSecond / bound:0.00} (bound {bound:0}) | {median.BytesPerRequest:0} | {median.ContentionsPerRequest:0.000} |"));
        }
    }

    /// <summary>The guard with the Redis store: one process of 64 callers, and four processes of 16, in each mode.</summary>
    private static void Redis(int rounds, TimeSpan window)
    {
        using RedisProcess server = RedisProcess.Start();
        using ConnectionMultiplexer admin = ConnectionMultiplexer.Connect(server.Configuration + ",allowAdmin=true");
        IServer stats = admin.GetServer(admin.GetEndPoints()[0]);
        double latency = MeasureLatency();

        // Uncontended: one caller, requests one after another.
        using (UserClients clients = RedisClients(server.Configuration, $"jcgload:{Guid.NewGuid():N}:", JiraGuardMode.Safe))
        {
            clients.Prove();
            var counter = new CommandCounter(stats);
            Sample one = Measure(clients.Jira(UserClients.ConfigConnection), callers: 1, TimeSpan.FromSeconds(1), counter.Edge);
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"Redis store, one caller: {(double)counter.Scripts / one.Requests:0.00} scripts and {(double)counter.Published / one.Requests:0.00} messages published per request"));
        }

        Console.WriteLine();
        Console.WriteLine("| Redis store, one account | Requests/s | Fraction of the bound | Scripts per request | Messages published per request | Requests per process, fewest ÷ mean |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (JiraGuardMode mode in new[] { JiraGuardMode.Safe, JiraGuardMode.Throughput })
        {
            int limit = mode == JiraGuardMode.Safe ? 2 : 16;
            double bound = limit / (latency / 1000);
            foreach ((int processes, int callers) in new[] { (1, 64), (4, 16) })
            {
                var samples = new List<(double PerSecond, double Scripts, double Published, double Fairness)>();
                for (int round = 0; round < rounds; round++)
                {
                    string prefix = $"jcgload:{Guid.NewGuid():N}:";
                    var counter = new CommandCounter(stats);
                    double[] perSecond;
                    if (processes == 1)
                    {
                        using UserClients clients = RedisClients(server.Configuration, prefix, mode);
                        clients.Prove();
                        perSecond = [Measure(clients.Jira(UserClients.ConfigConnection), callers, window, counter.Edge).PerSecond];
                    }
                    else
                    {
                        perSecond = RunChildren(server.Configuration, prefix, mode, processes, callers, window, counter);
                    }

                    double total = perSecond.Sum();
                    double seconds = counter.Seconds;
                    samples.Add((total, counter.Scripts / seconds / total, counter.Published / seconds / total, perSecond.Min() / perSecond.Average()));
                }

                var m = samples.OrderBy(x => x.PerSecond).ElementAt(samples.Count / 2);
                Console.WriteLine(FormattableString.Invariant($"| {mode} mode, {processes} × {callers} callers | {m.PerSecond:0} | {m.PerSecond / bound:0.00} (bound {bound:0}) | {m.Scripts:0.00} | {m.Published:0.00} | {m.Fairness:0.00} |"));
            }
        }
    }

    /// <summary>One process of a fleet (started by <see cref="Redis"/>): prints how many requests its callers made.</summary>
    public static int Child(string[] args)
    {
        string configuration = args[1], prefix = args[2];
        var mode = Enum.Parse<JiraGuardMode>(args[3]);
        int callers = int.Parse(args[4], CultureInfo.InvariantCulture);
        var window = TimeSpan.FromSeconds(double.Parse(args[5], CultureInfo.InvariantCulture));
        Console.WriteLine("requests " + RunRedisCallers(configuration, prefix, mode, callers, window).ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static long RunRedisCallers(string configuration, string prefix, JiraGuardMode mode, int callers, TimeSpan window)
    {
        using UserClients clients = RedisClients(configuration, prefix, mode);
        clients.Prove();
        return Measure(clients.Jira(UserClients.ConfigConnection), callers, window).Requests;
    }

    private static UserClients RedisClients(string configuration, string prefix, JiraGuardMode mode)
    {
        RedisJiraGuardStore store = RedisJiraGuardStore.Connect(configuration, new RedisGuardOptions { KeyPrefix = prefix, TokenIdIterations = 10_000 });
        return UserClients.Create(() => new SlowJira(Latency), g => g.Mode = mode, store);
    }

    /// <summary>
    /// Starts <paramref name="processes"/> processes of <paramref name="callers"/> callers each, counts Redis's commands
    /// inside their common window, and returns each process's requests per second.
    /// </summary>
    private static double[] RunChildren(string configuration, string prefix, JiraGuardMode mode, int processes, int callers, TimeSpan window, CommandCounter counter)
    {
        string self = typeof(LoadHarness).Assembly.Location;
        Process[] children = Enumerable.Range(0, processes).Select(_ =>
        {
            var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileName(Environment.ProcessPath ?? "dotnet").StartsWith("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                start.ArgumentList.Add(self); // run by the dotnet host, not by this program's own executable
            }

            foreach (string arg in new[] { ChildSwitch, configuration, prefix, mode.ToString(), callers.ToString(CultureInfo.InvariantCulture), window.TotalSeconds.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(arg);
            }

            return Process.Start(start)!;
        }).ToArray();
        Task<string>[] errors = children.Select(child => child.StandardError.ReadToEndAsync()).ToArray();

        // The children prove their token, warm up for a second, then count for the window: count Redis's commands
        // inside it, a margin off each edge.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        counter.Edge();
        Thread.Sleep(window - TimeSpan.FromSeconds(1));
        counter.Edge();
        return children.Select((child, i) =>
        {
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("requests ", StringComparison.Ordinal));
            return line is null
                ? throw new InvalidOperationException($"A process of the fleet failed ({child.StartInfo.FileName} {string.Join(' ', child.StartInfo.ArgumentList)}): {output} {errors[i].Result}")
                : long.Parse(line["requests ".Length..].Trim(), CultureInfo.InvariantCulture) / window.TotalSeconds;
        }).ToArray();
    }

    /// <summary>Scripts and PUBLISH commands Redis ran between two edges, counted by Redis itself.</summary>
    private sealed class CommandCounter(IServer stats)
    {
        private (long Scripts, long Published) _first;
        private long _firstAt;
        private int _edges;

        public long Scripts { get; private set; }

        public long Published { get; private set; }

        public double Seconds { get; private set; }

        public void Edge()
        {
            var calls = stats.Info("commandstats").SelectMany(g => g)
                .ToDictionary(p => p.Key, p => long.Parse(p.Value.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture));
            (long scripts, long published) now = (calls.GetValueOrDefault("cmdstat_evalsha") + calls.GetValueOrDefault("cmdstat_eval"), calls.GetValueOrDefault("cmdstat_publish"));
            if (_edges++ == 0)
            {
                _first = now;
                _firstAt = Stopwatch.GetTimestamp();
                return;
            }

            (Scripts, Published) = (now.scripts - _first.Scripts, now.published - _first.Published);
            Seconds = Stopwatch.GetElapsedTime(_firstAt).TotalSeconds;
        }
    }

    /// <summary>Jira's latency as one caller sees it through a bare factory client (the bound's denominator).</summary>
    private static double MeasureLatency()
    {
        using UserClients clients = UserClients.Create(() => new SlowJira(Latency));
        Sample one = Measure(clients.Named("bare"), callers: 1, TimeSpan.FromSeconds(1));
        return 1000.0 / one.PerSecond;
    }

    /// <summary>
    /// <paramref name="callers"/> callers sending back to back for <paramref name="window"/>, after a warm-up;
    /// <paramref name="atEdges"/> runs when the window opens and when it closes.
    /// </summary>
    private static Sample Measure(HttpClient client, int callers, TimeSpan window, Action? atEdges = null)
    {
        long requests = 0;
        bool counting = false;
        using var stop = new CancellationTokenSource();
        Task[] loops = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using HttpResponseMessage response = await client.GetAsync(UserClients.Path).ConfigureAwait(false);
                if (Volatile.Read(ref counting))
                {
                    Interlocked.Increment(ref requests);
                }
            }
        })).ToArray();
        Thread.Sleep(TimeSpan.FromSeconds(1)); // warm-up: every caller in its stride
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        long contentions = Monitor.LockContentionCount;
        atEdges?.Invoke();
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref counting, true);
        Thread.Sleep(window);
        Volatile.Write(ref counting, false);
        atEdges?.Invoke();
        double seconds = clock.Elapsed.TotalSeconds;
        long counted = Interlocked.Read(ref requests);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        long contended = Monitor.LockContentionCount - contentions;
        stop.Cancel();
        Task.WaitAll(loops);
        return new Sample(counted, counted / seconds, (double)allocated / counted, (double)contended / counted);
    }

    private static Sample Median(List<Sample> samples) => samples.OrderBy(s => s.PerSecond).ElementAt(samples.Count / 2);

    private sealed record Sample(long Requests, double PerSecond, double BytesPerRequest, double ContentionsPerRequest);

    /// <summary>The Redis in <c>JCG_REDIS</c>, or a redis-server of its own on a free port (no persistence).</summary>
    private sealed class RedisProcess : IDisposable
    {
        private readonly Process? _process;

        private RedisProcess(string configuration, Process? process)
        {
            Configuration = configuration;
            _process = process;
        }

        public string Configuration { get; }

        public static RedisProcess Start()
        {
            if (Environment.GetEnvironmentVariable("JCG_REDIS") is { Length: > 0 } external)
            {
                return new RedisProcess(external, null);
            }

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var process = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no") { RedirectStandardOutput = true, UseShellExecute = false })!;
            string configuration = $"127.0.0.1:{port}";
            for (int i = 0; i < 100; i++)
            {
                try
                {
                    using ConnectionMultiplexer probe = ConnectionMultiplexer.Connect(configuration);
                    break;
                }
                catch (RedisConnectionException)
                {
                    Thread.Sleep(100);
                }
            }

            return new RedisProcess(configuration, process);
        }

        public void Dispose()
        {
            if (_process is not null)
            {
                _process.Kill();
                _process.WaitForExit();
                _process.Dispose();
            }
        }
    }
}
