using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>
/// A helper process (a .NET program of this repository), driven over stdin and stdout: one line per command,
/// one line per reply, the reply starting with its kind. Everything it writes, stdout and stderr, is kept: for
/// leak scans, and for the test's message when something fails.
/// </summary>
public sealed class LineProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _output = new();

    private LineProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Everything the process wrote to stdout and stderr.</summary>
    public IEnumerable<string> Output => _output;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> and waits for its <paramref name="ready"/> line.</summary>
    /// <returns>The process, and the rest of its ready line.</returns>
    public static async Task<(LineProcess Process, string Ready)> StartAsync(string name, string dll, IEnumerable<string> arguments, string ready)
    {
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

        var child = new LineProcess(name, Process.Start(start)!);
        child._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                child._output.Enqueue(line);
                child._replies.Writer.TryWrite(line);
            }
            else
            {
                child._replies.Writer.TryComplete(); // the process ended: no reply will come
            }
        };
        child._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                child._output.Enqueue(line);
            }
        };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return (child, await child.ReadReplyAsync(ready));
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends <paramref name="command"/> and returns the rest of the reply of kind <paramref name="kind"/>.</summary>
    public async Task<string> AskAsync(string command, string kind)
    {
        await SendAsync(command);
        return await ReadReplyAsync(kind);
    }

    /// <summary>The rest of the next line that starts with <paramref name="kind"/> (other lines are skipped).</summary>
    public async Task<string> ReadReplyAsync(string kind)
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
            throw new TimeoutException($"{Name} did not reply '{kind}' within {ReplyTimeout.TotalSeconds} s (exited: {_process.HasExited}). Its output:\n{string.Join('\n', _output)}");
        }
    }

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
}
