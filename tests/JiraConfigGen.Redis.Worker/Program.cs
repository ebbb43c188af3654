using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using JiraConfigGen;
using JiraConfigGen.Redis;
using Microsoft.Extensions.Logging;

// One process of a fleet sharing a Jira account through the Redis guard store. The test that starts it
// sends commands on stdin and reads one JSON line per command on stdout; guard logs go to stderr.
//   storm NICK N   N concurrent calls of /myself; prints "result {counts}"
//   impatient NICK N TIMEOUT_MS CANCEL_MS SEED
//                  N concurrent calls by callers who give up: half through a client whose HttpClient.Timeout is
//                  TIMEOUT_MS, half cancelled at a random moment within CANCEL_MS (drawn from SEED); prints "result {counts}"
//   loop NICK P    P callers, each calling in a loop until "stop"; prints "looping"
//   stop           ends the loops; prints "stopped {counts}"
//   stats          prints "stats {counts}"
//   exit           (or end of stdin) ends the process
WorkerArguments arguments = WorkerArguments.Parse(args);
using var telemetry = new WorkerTelemetry();
using RedisJiraGuardStore store = RedisJiraGuardStore.Connect(arguments.Redis, arguments.StoreOptions(), telemetry.LoggerFactory);
var guard = new JiraLockoutGuard(store: store, loggerFactory: telemetry.LoggerFactory);
using var factory = new JiraClientFactory(new JiraSecretResolver(options: new JiraSecretResolverOptions { FileRefreshInterval = TimeSpan.FromMilliseconds(100) }), guard);
Dictionary<string, JiraConnection> connections = arguments.Connections.ToDictionary(
    c => c.Key,
    c => new JiraConnection(c.Key, arguments.User, arguments.Jira, JiraSecretReference.File(c.Value)),
    StringComparer.Ordinal);
Dictionary<string, HttpClient> clients = connections.ToDictionary(c => c.Key, c => factory.CreateClient(c.Value), StringComparer.Ordinal);
var counts = new CallCounts();
var loops = new List<Task>();
using var stopLoops = new CancellationTokenSource();

Reply("ready", null);
while (Console.ReadLine() is { } line)
{
    string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    switch (words)
    {
        case ["storm", string nick, string n]:
            await Task.WhenAll(Enumerable.Range(0, int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).Select(_ => Task.Run(() => CallAsync(clients[nick]))));
            Reply("result", counts.Snapshot(store, telemetry));
            break;
        case ["impatient", string nick, string n, string timeoutMs, string cancelMs, string seed]:
        {
            using HttpClient quick = factory.CreateClient(connections[nick]);
            quick.Timeout = TimeSpan.FromMilliseconds(Number(timeoutMs));
            var random = new Random(Number(seed));
            int[] cancelAfter = Enumerable.Range(0, Number(n)).Select(_ => random.Next(0, Number(cancelMs) + 1)).ToArray();
            await Task.WhenAll(cancelAfter.Select((after, i) => Task.Run(async () =>
            {
                if (i % 2 == 0)
                {
                    await CallAsync(quick);
                    return;
                }

                using var giveUp = new CancellationTokenSource(after);
                await CallAsync(clients[nick], giveUp.Token);
            })));
            Reply("result", counts.Snapshot(store, telemetry));
            break;
        }

        case ["loop", string nick, string p]:
            for (int i = 0; i < int.Parse(p, System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                loops.Add(Task.Run(() => LoopAsync(clients[nick], stopLoops.Token)));
            }

            Reply("looping", null);
            break;
        case ["stop"]:
            await stopLoops.CancelAsync();
            await Task.WhenAll(loops);
            Reply("stopped", counts.Snapshot(store, telemetry));
            break;
        case ["stats"]:
            Reply("stats", counts.Snapshot(store, telemetry));
            break;
        case ["exit"]:
            return 0;
        default:
            Reply("error", new { unknown = line });
            break;
    }
}

return 0;

async Task LoopAsync(HttpClient client, CancellationToken stop)
{
    while (!stop.IsCancellationRequested)
    {
        bool sent = await CallAsync(client);

        // A refused call costs nothing; pause so a refusing guard is not a busy loop.
        await Task.Delay(sent ? 5 : 25, CancellationToken.None);
    }
}

async Task<bool> CallAsync(HttpClient client, CancellationToken cancellationToken = default)
{
    try
    {
        using HttpResponseMessage response = await client.GetAsync("rest/api/3/myself", cancellationToken);
        counts.Add(response.IsSuccessStatusCode ? "ok" : $"http{(int)response.StatusCode}");
        return true;
    }
    catch (JiraAuthenticationException)
    {
        counts.Add("rejected");
        return true;
    }
    catch (JiraLockoutPreventedException e)
    {
        counts.Add("prevented:" + e.Reason);
        return false;
    }
    catch (OperationCanceledException)
    {
        counts.Add("cancelled");
        return true;
    }
    catch (Exception e)
    {
        counts.Add("other:" + e.GetType().Name, e.Message);
        return false;
    }
}

static int Number(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

static void Reply(string kind, object? body)
{
    string line = body is null ? kind : kind + " " + JsonSerializer.Serialize(body);
    lock (Console.Out)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}

/// <summary>The command line: <c>--redis --jira --user --prefix --lease-ms --outage --conn NICK=FILE...</c>.</summary>
internal sealed record WorkerArguments(string Redis, string Jira, string User, string Prefix, int LeaseMilliseconds, RedisOutageMode Outage, IReadOnlyDictionary<string, string> Connections)
{
    public static WorkerArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var connections = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--conn")
            {
                string[] pair = args[i + 1].Split('=', 2);
                connections[pair[0]] = pair[1];
            }
            else
            {
                values[args[i]] = args[i + 1];
            }
        }

        return new WorkerArguments(
            values["--redis"],
            values["--jira"],
            values["--user"],
            values["--prefix"],
            int.Parse(values.GetValueOrDefault("--lease-ms", "30000"), System.Globalization.CultureInfo.InvariantCulture),
            values.GetValueOrDefault("--outage") == "refuse" ? RedisOutageMode.RefuseCalls : RedisOutageMode.FallBackToLocal,
            connections);
    }

    public RedisGuardOptions StoreOptions() => new()
    {
        KeyPrefix = Prefix,
        LeaseDuration = TimeSpan.FromMilliseconds(LeaseMilliseconds),
        OutageMode = Outage,
        RetryInterval = TimeSpan.FromMilliseconds(200),
        TokenIdIterations = 10_000, // the floor, to start fast; production keeps the default
    };
}

/// <summary>How the calls ended, by outcome (<c>ok</c>, <c>rejected</c>, <c>prevented:REASON</c>, <c>other:TYPE</c>).</summary>
internal sealed class CallCounts
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _firstErrors = new(StringComparer.Ordinal);

    public void Add(string outcome, string? error = null)
    {
        _counts.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        if (error is not null)
        {
            _firstErrors.TryAdd(outcome, error);
        }
    }

    public object Snapshot(RedisJiraGuardStore store, WorkerTelemetry telemetry) => new
    {
        counts = new SortedDictionary<string, int>(_counts, StringComparer.Ordinal),
        errors = new SortedDictionary<string, string>(_firstErrors, StringComparer.Ordinal),
        redisDown = store.IsRedisUnavailable,
        storeUnavailable = telemetry.StoreUnavailable(),
    };
}

/// <summary>Guard logs to stderr, and the store-unavailable counter by mode.</summary>
internal sealed class WorkerTelemetry : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _unavailable = new(StringComparer.Ordinal);

    public WorkerTelemetry()
    {
        // Every level: the tests scan all of it for secrets.
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new StderrLoggerProvider()).SetMinimumLevel(LogLevel.Trace));
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "JiraConfigGen" && instrument.Name == "jiraconfiggen.guard.store_unavailable")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string mode = "?";
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "jira.store_mode")
                {
                    mode = tag.Value?.ToString() ?? "?";
                }
            }

            _unavailable.AddOrUpdate(mode, value, (_, n) => n + value);
        });
        _listener.Start();
    }

    public ILoggerFactory LoggerFactory { get; }

    public SortedDictionary<string, long> StoreUnavailable() => new(_unavailable, StringComparer.Ordinal);

    public void Dispose()
    {
        _listener.Dispose();
        LoggerFactory.Dispose();
    }

    private sealed class StderrLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StderrLogger();

        public void Dispose()
        {
        }
    }

    private sealed class StderrLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message and every structured value, as a structured logger would write them.
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lock (Console.Error)
            {
                Console.Error.WriteLine($"{logLevel} {eventId.Name}: {formatter(state, exception)} [{values}] {exception}");
            }
        }
    }
}
