using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>
/// A real redis-server on 127.0.0.1 with no persistence, started from the machine's binary, that a test
/// can stop and start again on the same port. Or, when <c>JCG_REDIS</c> names a server (as
/// <c>.ci/run</c> does), that server, which this class never stops.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port, bool owned)
    {
        Port = port;
        Owned = owned;
    }

    public int Port { get; }

    /// <summary>Whether this process started the server (and so may stop it).</summary>
    public bool Owned { get; }

    /// <summary>A StackExchange.Redis connection string.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The server <c>.ci/run</c> started (<c>JCG_REDIS=127.0.0.1:PORT</c>), or null.</summary>
    public static string? External => Environment.GetEnvironmentVariable("JCG_REDIS") is { Length: > 0 } value ? value : null;

    /// <summary>The redis-server binary: <c>JCG_REDIS_SERVER</c>, or the first on PATH (or in /usr/bin, /usr/local/bin).</summary>
    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("JCG_REDIS_SERVER") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        IEnumerable<string> directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/local/bin", "/usr/sbin"]);
        return directories.Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Skips the test when there is no Redis to test with, except in CI (<see cref="TestRun.NothingMaySkip"/>), where that is a
    /// failure: <c>.ci/run</c> installs and starts one, so its absence is a broken run, not a reason to skip.
    /// </summary>
    public static void Require(bool needsBinary)
    {
        bool available = FindExecutable() is not null || (!needsBinary && External is not null);
        if (!available && TestRun.NothingMaySkip)
        {
            throw new InvalidOperationException("These tests need redis-server (apt-get install redis-server), which .ci/run installs; it was not found on PATH or in JCG_REDIS_SERVER.");
        }

        Skip.IfNot(available, "No Redis to test with: install redis-server (apt-get install redis-server) or set JCG_REDIS=host:port.");
    }

    /// <summary>The server for the fleet scenarios: <c>JCG_REDIS</c> when set, else a new one.</summary>
    public static async Task<RedisServer> SharedOrStartAsync()
    {
        if (External is { } external)
        {
            return new RedisServer(int.Parse(external[(external.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture), owned: false);
        }

        return await StartAsync();
    }

    /// <summary>A new server of this process's own, on a free port.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort(), owned: true);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the (stopped) server again on its port, empty: it keeps nothing on disk.</summary>
    public async Task StartAgainAsync()
    {
        if (!Owned)
        {
            throw new InvalidOperationException("Only a server this test started can be started again.");
        }

        string executable = FindExecutable() ?? throw new InvalidOperationException("redis-server was not found.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (_process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new InvalidOperationException($"redis-server did not answer on port {Port} within {waited.Elapsed.TotalSeconds:0} s (exit code: {(_process.HasExited ? _process.ExitCode : "still running")}).");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server, as an outage would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Owned)
        {
            await StopAsync();
        }

        _process?.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
