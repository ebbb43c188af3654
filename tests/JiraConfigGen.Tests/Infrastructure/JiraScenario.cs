using JiraConfigGen.Emulator;
using Microsoft.Extensions.Configuration;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>How one call ended.</summary>
public sealed record CallResult(int? StatusCode, Exception? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The caller gave up: its cancellation or <c>HttpClient.Timeout</c>.</summary>
    public bool Cancelled => Error is OperationCanceledException;

    /// <summary>ok, rejected (Jira said no), prevented:REASON (the guard did not send it), cancelled, or other:TYPE.</summary>
    public string Kind => Error switch
    {
        null => StatusCode is >= 200 and < 300 ? "ok" : "http" + StatusCode,
        JiraAuthenticationException => "rejected",
        JiraLockoutPreventedException prevented => "prevented:" + prevented.Reason,
        OperationCanceledException => "cancelled",
        _ => "other:" + Error.GetType().Name,
    };
}

/// <summary>
/// A real Jira emulator on Kestrel, a configuration holding the tokens (rotated by writing to it), and a
/// guard with the application's telemetry: what each S1-S7 scenario starts from.
/// </summary>
public sealed class JiraScenario : IAsyncDisposable
{
    public const string Username = "sync-bot@contoso.test";

    private readonly List<string> _secrets = [];

    private JiraScenario(JiraEmulator emulator, IConfigurationRoot configuration, Telemetry telemetry, JiraLockoutGuard guard)
    {
        Emulator = emulator;
        Configuration = configuration;
        Telemetry = telemetry;
        Guard = guard;
        Factory = new JiraClientFactory(new JiraSecretResolver(configuration), guard);
    }

    public JiraEmulator Emulator { get; }

    public IConfigurationRoot Configuration { get; }

    public Telemetry Telemetry { get; }

    public JiraLockoutGuard Guard { get; }

    public JiraClientFactory Factory { get; }

    /// <summary>Every token value this scenario created, valid or not.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    public static async Task<JiraScenario> StartAsync(JiraGuardOptions? options = null, TimeSpan? responseDelay = null, TimeProvider? time = null)
    {
        JiraEmulator emulator = await JiraEmulator.StartAsync();
        emulator.ResponseDelay = responseDelay ?? TimeSpan.FromMilliseconds(2);
        var telemetry = new Telemetry();
        var guard = new JiraLockoutGuard(options, timeProvider: time, loggerFactory: telemetry.LoggerFactory, meterFactory: telemetry.MeterFactory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        return new JiraScenario(emulator, configuration, telemetry, guard);
    }

    /// <summary>A fresh token, shaped like an Atlassian API token, remembered for the leak scan.</summary>
    public string NewToken()
    {
        string token = "ATATT3xFfGF0" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', 'x').Replace('/', 'y');
        _secrets.Add(token);
        return token;
    }

    /// <summary>The account with a valid token, and connection Sync reading it from configuration: where most scenarios start.</summary>
    public JiraConnection SyncWithValidToken(out string token)
    {
        token = NewToken();
        Emulator.AddAccount(Username, token);
        JiraConnection sync = Connection("Sync");
        SetToken(sync, token);
        return sync;
    }

    /// <summary>The account, and connection Sync with a token the account does not know.</summary>
    public JiraConnection SyncWithWrongToken()
    {
        Emulator.AddAccount(Username, NewToken());
        JiraConnection sync = Connection("Sync");
        SetToken(sync, NewToken());
        return sync;
    }

    /// <summary>A loopback port nothing listens on: an instance that refuses connections.</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after 30 seconds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in 30 seconds");
            await Task.Delay(1);
        }
    }

    /// <summary>A connection to the emulator whose token is read from configuration key <c>Jira:{nickname}:ApiToken</c>.</summary>
    public JiraConnection Connection(string nickname, string username = Username) =>
        new(nickname, username, Emulator.InstanceUrl, JiraSecretReference.Configuration($"Jira:{nickname}:ApiToken"));

    /// <summary>Writes the connection's token into configuration: what an operator's rotation does.</summary>
    public void SetToken(JiraConnection connection, string token) => Configuration[connection.ApiToken.Name] = token;

    /// <summary><paramref name="calls"/> concurrent calls of <c>/myself</c>, each recorded.</summary>
    public async Task<CallResult[]> StormAsync(JiraConnection connection, int calls)
    {
        using HttpClient client = Factory.CreateClient(connection);
        using var start = new ManualResetEventSlim();
        Task<CallResult>[] tasks = Enumerable.Range(0, calls).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await CallAsync(client);
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }

    /// <summary>
    /// <paramref name="calls"/> concurrent calls of <c>/myself</c> by callers who give up: half through a client whose
    /// <c>HttpClient.Timeout</c> is <paramref name="timeout"/>, half cancelling their own call at a random moment within
    /// <paramref name="cancelWithin"/>, drawn from <paramref name="seed"/>.
    /// </summary>
    public async Task<CallResult[]> ImpatientStormAsync(JiraConnection connection, int calls, TimeSpan timeout, TimeSpan cancelWithin, int seed)
    {
        using HttpClient quick = Factory.CreateClient(connection);
        quick.Timeout = timeout;
        using HttpClient patient = Factory.CreateClient(connection);
        var random = new Random(seed);
        int[] cancelAfter = Enumerable.Range(0, calls).Select(_ => random.Next(0, (int)cancelWithin.TotalMilliseconds + 1)).ToArray();
        using var start = new ManualResetEventSlim();
        Task<CallResult>[] tasks = Enumerable.Range(0, calls).Select(i => Task.Run(async () =>
        {
            start.Wait();
            if (i % 2 == 0)
            {
                return await CallAsync(quick);
            }

            using var giveUp = new CancellationTokenSource(cancelAfter[i]);
            return await CallAsync(patient, giveUp.Token);
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }

    /// <summary>
    /// Impatient storms (<see cref="ImpatientStormAsync"/>, seeds from <paramref name="firstSeed"/> up), each followed by
    /// <see cref="SettledAsync"/>, until <paramref name="done"/> holds after one, at most five. On a loaded machine every
    /// caller of a storm may give up before a request leaves: that rightly counts nothing, and tests nothing either.
    /// </summary>
    public async Task<List<CallResult>> ImpatientStormsUntilAsync(JiraConnection connection, int calls, TimeSpan timeout, TimeSpan cancelWithin, int firstSeed, Func<JiraGuardStatus, bool> done)
    {
        var results = new List<CallResult>();
        for (int storm = 0; storm < 5; storm++)
        {
            results.AddRange(await ImpatientStormAsync(connection, calls, timeout, cancelWithin, firstSeed + storm));
            if (done(await SettledAsync(connection)))
            {
                break;
            }
        }

        return results;
    }

    public async Task<CallResult> CallAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("rest/api/3/myself", cancellationToken);
            return new CallResult((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Telemetry.Record(e);
            return new CallResult(null, e);
        }
    }

    /// <summary>Waits until no request of the account is in flight: the abandoned ones have been answered or cut off.</summary>
    public async Task<JiraGuardStatus> SettledAsync(JiraConnection connection, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            JiraGuardStatus status = await Guard.GetStatusAsync(connection.Account);
            if (status.InFlight == 0)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"requests still in flight: {status}");
            await Task.Delay(10);
        }
    }

    public JiraEmulatorAccount Account(string username = Username) => Emulator.GetAccount(username);

    public void AssertNoSecretLeaked() => Telemetry.AssertNoSecret(_secrets, Username);

    public async ValueTask DisposeAsync()
    {
        Factory.Dispose();
        Telemetry.Dispose();
        await Emulator.DisposeAsync();
    }
}
