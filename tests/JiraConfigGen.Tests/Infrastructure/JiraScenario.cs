using JiraConfigGen.Emulator;
using Microsoft.Extensions.Configuration;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>How one call ended.</summary>
public sealed record CallResult(int? StatusCode, Exception? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
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

    public async Task<CallResult> CallAsync(HttpClient client)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("rest/api/3/myself");
            return new CallResult((int)response.StatusCode, null);
        }
        catch (HttpRequestException e)
        {
            Telemetry.Record(e);
            return new CallResult(null, e);
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
