using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// An in-memory Jira that answers after <paramref name="latency"/> (Task.Delay), each time with a new 200: what a
/// Jira a few milliseconds away looks like to the handlers in front of it.
/// </summary>
internal sealed class SlowJira(TimeSpan latency) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("X-Seraph-LoginReason", "OK");
        return response;
    }
}

/// <summary>Limits requests in flight with a <see cref="SemaphoreSlim"/>: the plainest limiter, for reference.</summary>
internal sealed class SemaphoreLimiter(int limit) : DelegatingHandler
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slots.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Sets a Basic Authorization header (built once) on each request: what any Jira client does without the guard.</summary>
internal sealed class HeaderOnly(string username, string token) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + token)));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _header;
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// The clients an application gets from <c>IHttpClientFactory</c>, all over the same in-memory Jira: Jira clients from
/// <c>AddJiraConnections</c> with their tokens in configuration, in the environment and in a file, and, for comparison,
/// the same named client bare, with only an Authorization header, with Polly's circuit breaker
/// (<c>AddResilienceHandler</c>), with the standard resilience handler, and with a <see cref="SemaphoreSlim"/> limiter.
/// </summary>
internal sealed class UserClients : IDisposable
{
    public const string Path = "rest/api/3/myself";

    /// <summary>The requests <see cref="Prove"/> makes.</summary>
    public const int ProvedRequests = 3;
    public const string Username = "automation@contoso.com";
    public const string Token = "ATATT3xFfGF0-benchmark-token";
    private const string Instance = "contoso.atlassian.net";
    private const string EnvironmentVariable = "JCG_BENCHMARK_TOKEN";

    private readonly ServiceProvider _services;
    private readonly IHttpClientFactory _factory;
    private readonly string _tokenFile;
    private readonly IJiraGuardStore? _store;

    private UserClients(ServiceProvider services, string tokenFile, IJiraGuardStore? store)
    {
        _services = services;
        _factory = services.GetRequiredService<IHttpClientFactory>();
        _tokenFile = tokenFile;
        _store = store;
    }

    public static JiraConnection ConfigConnection { get; } = new("FromConfig", Username, Instance, JiraSecretReference.Configuration("Jira:Bench:ApiToken"));

    public static JiraConnection EnvConnection { get; } = new("FromEnv", Username, Instance, JiraSecretReference.Environment(EnvironmentVariable));

    public static JiraConnection FileConnection { get; private set; } = null!;

    public JiraLockoutGuard Guard => _services.GetRequiredService<JiraLockoutGuard>();

    /// <summary>Builds the clients over <paramref name="jira"/> (one handler instance per client, from the factory).</summary>
    /// <param name="jira">Makes the in-memory Jira each client sends to.</param>
    /// <param name="guard">The guard's options.</param>
    /// <param name="store">A guard store to use instead of the in-memory one (Redis); disposed with the clients.</param>
    /// <param name="limit">The in-flight limit of the <see cref="SemaphoreSlim"/> client.</param>
    public static UserClients Create(Func<HttpMessageHandler> jira, Action<JiraGuardOptions>? guard = null, IJiraGuardStore? store = null, int limit = 2)
    {
        string tokenFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"jcg-bench-{Guid.NewGuid():N}");
        File.WriteAllText(tokenFile, Token);
        Environment.SetEnvironmentVariable(EnvironmentVariable, Token);
        FileConnection = new("FromFile", Username, Instance, JiraSecretReference.File(tokenFile));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:Bench:ApiToken", Token)]).Build();

        var services = new ServiceCollection().AddSingleton(configuration);
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        services.AddJiraConnections([ConfigConnection, EnvConnection, FileConnection], guard);
        foreach (JiraConnection connection in new[] { ConfigConnection, EnvConnection, FileConnection })
        {
            services.AddHttpClient(JiraHttp.ClientName(connection)).ConfigurePrimaryHttpMessageHandler(jira);
        }

        var baseAddress = new Uri($"https://{Instance}/");
        services.AddHttpClient("bare", c => c.BaseAddress = baseAddress).ConfigurePrimaryHttpMessageHandler(jira);
        services.AddHttpClient("header", c => c.BaseAddress = baseAddress).AddHttpMessageHandler(() => new HeaderOnly(Username, Token)).ConfigurePrimaryHttpMessageHandler(jira);
        services.AddHttpClient("breaker", c => c.BaseAddress = baseAddress)
            .AddHttpMessageHandler(() => new HeaderOnly(Username, Token))
            .AddResilienceHandler("breaker", pipeline => pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions()));
        services.AddHttpClient("breaker").ConfigurePrimaryHttpMessageHandler(jira);
        services.AddHttpClient("standard", c => c.BaseAddress = baseAddress).AddHttpMessageHandler(() => new HeaderOnly(Username, Token)).ConfigurePrimaryHttpMessageHandler(jira);
        services.AddHttpClient("standard").AddStandardResilienceHandler();
        services.AddHttpClient("limiter", c => c.BaseAddress = baseAddress)
            .AddHttpMessageHandler(() => new HeaderOnly(Username, Token))
            .AddHttpMessageHandler(() => new SemaphoreLimiter(limit))
            .ConfigurePrimaryHttpMessageHandler(jira);
        return new UserClients(services.BuildServiceProvider(), tokenFile, store);
    }

    public HttpClient Jira(JiraConnection connection) => _factory.CreateJiraClient(connection);

    public HttpClient Named(string name) => _factory.CreateClient(name);

    /// <summary>One request through each Jira client: the token is proven, and every later request takes the success path.</summary>
    public void Prove()
    {
        foreach (JiraConnection connection in new[] { ConfigConnection, EnvConnection, FileConnection })
        {
            Jira(connection).GetAsync(Path).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        (_store as IDisposable)?.Dispose();
        File.Delete(_tokenFile);
    }
}
