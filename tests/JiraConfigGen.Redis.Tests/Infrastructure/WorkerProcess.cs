using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;

namespace JiraConfigGen.Redis.Tests.Infrastructure;

/// <summary>What a worker reported: its calls by outcome, and whether it sees Redis.</summary>
public sealed record WorkerReport(IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, string> Errors, bool RedisDown, IReadOnlyDictionary<string, long> StoreUnavailable)
{
    public int this[string outcome] => Counts.TryGetValue(outcome, out int n) ? n : 0;

    public int Calls => Counts.Values.Sum();

    public override string ToString() =>
        string.Join(", ", Counts.Select(c => $"{c.Key}={c.Value}")) + (RedisDown ? " (Redis down)" : string.Empty) +
        string.Concat(StoreUnavailable.Select(s => $", store_unavailable {s.Key}={s.Value}")) +
        string.Concat(Errors.Select(e => $"; {e.Key}: {e.Value}"));
}

/// <summary>
/// One OS process of the fleet (tests/JiraConfigGen.Redis.Worker), driven over stdin and stdout. Everything
/// it prints is kept, for the leak scan and for the test's output when something fails.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Everything the process wrote to stdout and stderr.</summary>
    public IEnumerable<string> Output => _output;

    public bool HasExited => _process.HasExited;

    public static async Task<WorkerProcess> StartAsync(string name, IEnumerable<string> arguments)
    {
        string dll = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WorkerAssembly").Value!;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var worker = new WorkerProcess(name, Process.Start(start)!);
        worker._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                worker._output.Enqueue(line);
                worker._replies.Writer.TryWrite(line);
            }
            else
            {
                worker._replies.Writer.TryComplete(); // the process ended: no reply will come
            }
        };
        worker._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                worker._output.Enqueue(line);
            }
        };
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        await worker.ReadReplyAsync("ready");
        return worker;
    }

    /// <summary>N concurrent calls; returns the worker's totals after them.</summary>
    public Task<WorkerReport> StormAsync(string connection, int calls) => AskAsync($"storm {connection} {calls}", "result");

    /// <summary>Starts <paramref name="callers"/> callers that call in a loop until <see cref="StopAsync"/>.</summary>
    public async Task LoopAsync(string connection, int callers)
    {
        await SendAsync($"loop {connection} {callers}");
        await ReadReplyAsync("looping");
    }

    public Task<WorkerReport> StopAsync() => AskAsync("stop", "stopped");

    public Task<WorkerReport> StatsAsync() => AskAsync("stats", "stats");

    /// <summary>Sends a command without waiting for its reply (read it with <see cref="ReadReportAsync"/>).</summary>
    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<WorkerReport> ReadReportAsync(string kind) => Parse(await ReadReplyAsync(kind));

    /// <summary>Kills the process, as a crash or an OOM kill would: no clean-up code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendAsync("exit");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task<WorkerReport> AskAsync(string command, string kind)
    {
        await SendAsync(command);
        return await ReadReportAsync(kind);
    }

    private async Task<string> ReadReplyAsync(string kind)
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            while (true)
            {
                string line = await _replies.Reader.ReadAsync(timeout.Token);
                if (line == kind || line.StartsWith(kind + " ", StringComparison.Ordinal))
                {
                    return line[kind.Length..].Trim();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"Worker {Name} did not reply '{kind}' within {ReplyTimeout.TotalSeconds} s (exited: {_process.HasExited}). Its output:\n{string.Join('\n', _output)}");
        }
    }

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
