using Xunit.Abstractions;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>
/// No token reaches any log record (message or structured state, at Trace, the HTTP client factory's own records
/// included), metric, trace or exception, in every scenario of the runtime contract, through both client paths.
/// The same file runs in JiraConfigGen.Tests (Microsoft.Extensions.Http 10) and JiraConfigGen.Http8.Tests (8),
/// against the Jira emulator on Kestrel.
/// </summary>
public sealed class LogScanTests(LogScanTests.EmulatorFixture emulator, ITestOutputHelper output) : IClassFixture<LogScanTests.EmulatorFixture>
{
    public static TheoryData<ClientPath, string> Scenarios()
    {
        var data = new TheoryData<ClientPath, string>();
        foreach (ClientPath path in Enum.GetValues<ClientPath>())
        {
            foreach (string scenario in Runs.Keys)
            {
                data.Add(path, scenario);
            }
        }

        return data;
    }

    /// <summary>The scenarios, each ending with an assertion that it did what it says (so the scan is not of nothing).</summary>
    private static readonly Dictionary<string, Func<LeakHarness, Task>> Runs = new()
    {
        ["S1 right token"] = async h =>
        {
            h.SetToken("Sync", await h.NewValidTokenAsync());
            Assert.All(await h.CallAsync("Sync", 10), r => Assert.Equal(200, r));
        },
        ["S2 wrong token"] = async h =>
        {
            h.SetToken("Sync", h.NewToken());
            object[] results = await h.CallAsync("Sync", 10);
            Assert.Single(results.OfType<JiraAuthenticationException>());
        },
        ["S3 revocation and rotation"] = async h =>
        {
            string first = await h.NewValidTokenAsync();
            h.SetToken("Sync", first);
            Assert.All(await h.CallAsync("Sync", 5), r => Assert.Equal(200, r));
            await h.Emulator.RevokeTokenAsync(h.Username, first);
            Assert.All(await h.CallAsync("Sync", 5), r => Assert.IsAssignableFrom<HttpRequestException>(r));
            h.SetToken("Sync", await h.NewValidTokenAsync());
            Assert.All(await h.CallAsync("Sync", 5), r => Assert.Equal(200, r));
        },
        ["S4 rotation to wrong tokens"] = async h =>
        {
            for (int i = 0; i < 4; i++)
            {
                h.SetToken("Sync", h.NewToken());
                await h.CallAsync("Sync", 3);
            }

            Assert.Equal(JiraLockoutReason.AttemptsSpent, (await h.Guard.GetStatusAsync(h["Sync"].Account)).Tripped);
        },
        ["S5 two connections, one stale"] = async h =>
        {
            h.SetToken("Sync", await h.NewValidTokenAsync());
            h.SetToken("Stale", h.NewToken());
            object[][] both = await Task.WhenAll(h.CallAsync("Sync", 5), h.CallAsync("Stale", 5));
            Assert.All(both[0], r => Assert.Equal(200, r));
            Assert.Single(both[1].OfType<JiraAuthenticationException>());
        },
        ["S6 locked account"] = async h =>
        {
            // Four wrong logins by a job without the guard lock it; then the guarded client asks once.
            for (int i = 0; i < 4; i++)
            {
                h.SetToken("Stale", h.NewToken());
                await h.CallAsync("Stale", 1);
                await h.Guard.ResetAsync(h["Stale"].Account);
            }

            h.SetToken("Sync", await h.NewValidTokenAsync());
            Assert.Contains(await h.CallAsync("Sync", 3), r => r is JiraAuthenticationException { IsAccountLocked: true });
        },
        ["S7 rate limited"] = async h =>
        {
            h.SetToken("Sync", await h.NewValidTokenAsync());
            await h.Emulator.ThrottleAsync(1, TimeSpan.FromSeconds(1));
            Assert.All(await h.CallAsync("Sync", 1), r => Assert.Equal(200, r));
        },
        ["S8 callers give up"] = async h =>
        {
            h.SetToken("Sync", await h.NewValidTokenAsync());
            Assert.All(await h.CallAsync("Sync", 2), r => Assert.Equal(200, r));
            await h.Emulator.SetResponseDelayAsync(TimeSpan.FromMilliseconds(400));
            try
            {
                Assert.All(await h.CallAsync("Sync", 6, timeout: TimeSpan.FromMilliseconds(100)), r => Assert.IsAssignableFrom<OperationCanceledException>(r));
                h.SetToken("Stale", h.NewToken());
                await h.CallAsync("Stale", 6, timeout: TimeSpan.FromMilliseconds(100));
                await Task.Delay(600); // the abandoned requests are answered and recorded in the background
            }
            finally
            {
                await h.Emulator.SetResponseDelayAsync(TimeSpan.Zero);
            }
        },
        ["transport fails after sending"] = async h =>
        {
            h.SetToken("Sync", await h.NewValidTokenAsync());
            Assert.All(await h.CallAsync("Sync", 1), r => Assert.Equal(200, r));
            await h.Emulator.DropConnectionsAsync(1);
            Assert.All(await h.CallAsync("Sync", 1), r => Assert.IsAssignableFrom<HttpRequestException>(r));
            Assert.Equal(1, (await h.Guard.GetStatusAsync(h["Sync"].Account)).FailedAttempts);
        },
        ["bearer token"] = async h =>
        {
            h.SetToken("Build", await h.NewValidTokenAsync());
            Assert.All(await h.CallAsync("Build", 3), r => Assert.Equal(200, r));
            h.SetToken("Build", h.NewToken());
            Assert.Single((await h.CallAsync("Build", 3)).OfType<JiraAuthenticationException>());
        },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task NoTokenReachesAnyLogMetricTraceOrException(ClientPath path, string scenario)
    {
        await using LeakHarness harness = await LeakHarness.StartAsync(emulator.Control, path, "Sync", "Stale", "Build:bearer");

        await Runs[scenario](harness);

        IReadOnlyList<CapturedRecord> records = harness.Telemetry.Records;
        output.WriteLine($"{path}, {scenario}: {records.Count} log record(s), {harness.Telemetry.Traces.Count} trace(s), {harness.Telemetry.Exceptions.Count} exception(s), {harness.Secrets.Count} token(s) scanned for");
        Assert.Null(harness.FindLeak());
        if (path == ClientPath.DependencyInjection)
        {
            // The factory's Trace records of the request headers were captured, and scanned.
            Assert.Contains(records, r => r.EventName == "RequestHeader" && r.Category.Contains("ClientHandler", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheScanFindsAHeaderThatTheClientFactoryLogs()
    {
        // What AddJiraConnections prevents, done by hand: the factory's logging writes the header at Trace.
        await using LeakHarness harness = await LeakHarness.StartAsync(emulator.Control, ClientPath.DependencyInjection, "Sync");

        await harness.SendThroughAnOrdinaryClientAsync(harness.NewToken());

        string? leak = harness.FindLeak();
        output.WriteLine($"Found, as it should be: {leak}");
        Assert.NotNull(leak);
    }

    /// <summary>One emulator for the class: every harness has its own account on it.</summary>
    public sealed class EmulatorFixture : IAsyncLifetime
    {
        public IEmulatorControl Control { get; private set; } = null!;

        public async Task InitializeAsync() => Control = await TestEmulator.StartAsync();

        public async Task DisposeAsync() => await Control.DisposeAsync();
    }
}
