using System.Reflection;
using System.Text.Json;
using JiraConfigGen.Tests.Infrastructure;

namespace JiraConfigGen.Redis.Tests.Infrastructure;

/// <summary>What a worker reported: its calls by outcome, and whether it sees Redis.</summary>
public sealed record WorkerReport(IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, string> Errors, bool RedisDown, IReadOnlyDictionary<string, long> StoreUnavailable)
{
    /// <summary>The outcomes a call may have; anything else (<c>other:TYPE</c>) is a failure of the test's premise.</summary>
    public static readonly string[] KnownOutcomes = ["ok", "rejected", "prevented", "cancelled"];

    public int this[string outcome] => Counts.TryGetValue(outcome, out int n) ? n : 0;

    public int Calls => Counts.Values.Sum();

    /// <summary>Calls refused by the guard, for any reason.</summary>
    public int Prevented => Counts.Where(c => c.Key.StartsWith("prevented:", StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>Calls whose caller gave up (a cancellation or HttpClient.Timeout).</summary>
    public int Cancelled => this["cancelled"];

    /// <summary>Every call ended as ok, rejected, prevented or (when callers give up) cancelled: nothing else.</summary>
    public void AssertOnlyKnownOutcomes()
    {
        Assert.True(
            Calls == this["ok"] + this["rejected"] + Prevented + Cancelled,
            $"calls = ok + rejected + prevented + cancelled, and nothing else; got {this}");
    }

    public override string ToString() =>
        string.Join(", ", Counts.Select(c => $"{c.Key}={c.Value}")) + (RedisDown ? " (Redis down)" : string.Empty) +
        string.Concat(StoreUnavailable.Select(s => $", store_unavailable {s.Key}={s.Value}")) +
        string.Concat(Errors.Select(e => $"; {e.Key}: {e.Value}"));
}

/// <summary>One OS process of the fleet (tests/JiraConfigGen.Redis.Worker), driven over stdin and stdout.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly LineProcess _process;

    private WorkerProcess(LineProcess process) => _process = process;

    public string Name => _process.Name;

    /// <summary>Everything the process wrote to stdout and stderr.</summary>
    public IEnumerable<string> Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public static async Task<WorkerProcess> StartAsync(string name, IEnumerable<string> arguments)
    {
        string dll = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerAssembly").Value!;
        (LineProcess process, _) = await LineProcess.StartAsync(name, dll, arguments, "ready");
        return new WorkerProcess(process);
    }

    /// <summary>N concurrent calls; returns the worker's totals after them.</summary>
    public Task<WorkerReport> StormAsync(string connection, int calls) => AskAsync($"storm {connection} {calls}", "result");

    /// <summary>
    /// N concurrent calls through a client whose <c>HttpClient.Timeout</c> is <paramref name="timeoutMs"/>, each
    /// also cancelled by its caller at a random moment within <paramref name="cancelWithinMs"/> (seeded by
    /// <paramref name="seed"/>); returns the worker's totals after them.
    /// </summary>
    public Task<WorkerReport> ImpatientStormAsync(string connection, int calls, int timeoutMs, int cancelWithinMs, int seed) =>
        AskAsync($"impatient {connection} {calls} {timeoutMs} {cancelWithinMs} {seed}", "result");

    /// <summary>Starts <paramref name="callers"/> callers that call in a loop until <see cref="StopAsync"/>.</summary>
    public async Task LoopAsync(string connection, int callers) => await _process.AskAsync($"loop {connection} {callers}", "looping");

    public Task<WorkerReport> StopAsync() => AskAsync("stop", "stopped");

    public Task<WorkerReport> StatsAsync() => AskAsync("stats", "stats");

    /// <summary>Sends a command without waiting for its reply (read it with <see cref="ReadReportAsync"/>).</summary>
    public Task SendAsync(string command) => _process.SendAsync(command);

    public async Task<WorkerReport> ReadReportAsync(string kind) => Parse(await _process.ReadReplyAsync(kind));

    /// <summary>Kills the process, as a crash or an OOM kill would: no clean-up code runs.</summary>
    public Task KillAsync() => _process.KillAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task<WorkerReport> AskAsync(string command, string kind) => Parse(await _process.AskAsync(command, kind));

    private static WorkerReport Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new WorkerReport(
            root.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            root.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty),
            root.GetProperty("redisDown").GetBoolean(),
            root.GetProperty("storeUnavailable").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }
}
