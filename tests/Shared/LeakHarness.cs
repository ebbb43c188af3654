using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>The two ways the library creates clients.</summary>
public enum ClientPath
{
    /// <summary><c>AddJiraConnections</c> and <c>IHttpClientFactory</c>, with the factory's own logging at Trace.</summary>
    DependencyInjection,

    /// <summary><see cref="JiraClientFactory"/>, without dependency injection.</summary>
    ClientFactory,
}

/// <summary>
/// One account on the emulator, connections to it through one client path, tokens in configuration, and
/// everything the application would see: log records at Trace (structured), metrics, HttpClient's traces and the
/// exceptions callers get. Each harness has an account of its own, so harnesses can share an emulator.
/// </summary>
public sealed class LeakHarness : IAsyncDisposable
{
    private readonly List<string> _secrets = [];
    private readonly Dictionary<string, JiraConnection> _connections;
    private readonly ServiceProvider? _services;
    private readonly JiraClientFactory? _factory;

    private LeakHarness(IEmulatorControl emulator, ClientPath path, string username, IReadOnlyList<JiraConnection> connections, IConfigurationRoot configuration, Telemetry telemetry)
    {
        Emulator = emulator;
        Path = path;
        Username = username;
        Configuration = configuration;
        Telemetry = telemetry;
        _connections = connections.ToDictionary(c => c.Nickname, StringComparer.Ordinal);
        if (path == ClientPath.DependencyInjection)
        {
            var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton(telemetry.MeterFactory)
                .AddLogging(logging => logging.AddProvider(new ForwardingProvider(telemetry.LoggerFactory)).SetMinimumLevel(LogLevel.Trace));
            services.AddJiraConnections(connections);

            // An ordinary named client of the same application, whose header the factory logs: the negative control.
            services.AddHttpClient("plain");
            _services = services.BuildServiceProvider();
            Guard = _services.GetRequiredService<JiraLockoutGuard>();
        }
        else
        {
            Guard = new JiraLockoutGuard(loggerFactory: telemetry.LoggerFactory, meterFactory: telemetry.MeterFactory);
            _factory = new JiraClientFactory(new JiraSecretResolver(configuration), Guard);
        }
    }

    public IEmulatorControl Emulator { get; }

    public ClientPath Path { get; }

    public string Username { get; }

    public IConfigurationRoot Configuration { get; }

    public Telemetry Telemetry { get; }

    public JiraLockoutGuard Guard { get; }

    public IReadOnlyCollection<string> Secrets => _secrets;

    /// <summary>A harness with a new account and the given connections to it (<c>name</c>, or <c>name:bearer</c>).</summary>
    public static async Task<LeakHarness> StartAsync(IEmulatorControl emulator, ClientPath path, params string[] connections)
    {
        string username = $"bot-{Guid.NewGuid():N}@contoso.test";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        JiraConnection[] declared = connections.Select(c =>
        {
            string[] parts = c.Split(':');
            bool bearer = parts.Length > 1 && parts[1] == "bearer";
            return new JiraConnection(parts[0], bearer ? null : username, emulator.InstanceUrl, JiraSecretReference.Configuration($"Jira:{parts[0]}:ApiToken"), bearer ? JiraAuthKind.Bearer : JiraAuthKind.Basic);
        }).ToArray();
        var harness = new LeakHarness(emulator, path, username, declared, configuration, new Telemetry());
        await emulator.AddAccountAsync(username, harness.NewToken());
        return harness;
    }

    public JiraConnection this[string nickname] => _connections[nickname];

    /// <summary>A fresh token shaped like an Atlassian API token, remembered for the scan.</summary>
    public string NewToken()
    {
        string token = "ATATT3xFfGF0" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', 'x').Replace('/', 'y');
        _secrets.Add(token);
        return token;
    }

    /// <summary>A token the emulator accepts for this account.</summary>
    public async Task<string> NewValidTokenAsync()
    {
        string token = NewToken();
        await Emulator.AddTokenAsync(Username, token);
        return token;
    }

    public void SetToken(string nickname, string token) => Configuration[_connections[nickname].ApiToken.Name] = token;

    /// <summary>A client of the connection through this harness's path; <paramref name="timeout"/> sets <c>HttpClient.Timeout</c>.</summary>
    public HttpClient Client(string nickname, TimeSpan? timeout = null)
    {
        JiraConnection connection = _connections[nickname];
        HttpClient client = _services is not null
            ? _services.GetRequiredService<IHttpClientFactory>().CreateJiraClient(connection)
            : _factory!.CreateClient(connection);
        if (timeout is { } t)
        {
            client.Timeout = t;
        }

        return client;
    }

    /// <summary><paramref name="calls"/> concurrent calls of <c>/myself</c>; the outcome of each (a status code or an exception).</summary>
    public async Task<object[]> CallAsync(string nickname, int calls, TimeSpan? timeout = null)
    {
        HttpClient client = Client(nickname, timeout);
        return await Task.WhenAll(Enumerable.Range(0, calls).Select(async _ =>
        {
            try
            {
                using HttpResponseMessage response = await client.GetAsync("rest/api/3/myself");
                return (object)(int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                Telemetry.Record(e);
                return e;
            }
        }));
    }

    /// <summary>
    /// The negative control: the application's own named client sends a Basic header it set itself, which the
    /// client factory's logging writes at Trace. The scan must find it, or it would prove nothing.
    /// </summary>
    public async Task SendThroughAnOrdinaryClientAsync(string token)
    {
        HttpClient plain = _services!.GetRequiredService<IHttpClientFactory>().CreateClient("plain");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Emulator.InstanceUrl}/rest/api/3/myself");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + token)));
        using HttpResponseMessage response = await plain.SendAsync(request);
    }

    /// <summary>The first text anything emitted that holds a secret of this harness, or null.</summary>
    public string? FindLeak() => SecretForms.FindIn(Telemetry.AllText(), SecretForms.Of(_secrets, Username));

    public async ValueTask DisposeAsync()
    {
        _factory?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        Telemetry.Dispose();
    }

    /// <summary>Hands the container's loggers to the telemetry's factory, so both paths are captured alike.</summary>
    private sealed class ForwardingProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
