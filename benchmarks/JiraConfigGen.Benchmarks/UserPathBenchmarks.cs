using BenchmarkDotNet.Attributes;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// One caller, one request at a time, as an application gets it: a named client from <c>IHttpClientFactory</c>,
/// <c>GET rest/api/3/myself</c>, an in-memory Jira that answers at once. The baseline is the same named client
/// with only an Authorization header (what any Jira client does); the guard (its token from configuration, from
/// the environment, from a file) is compared with what a user would add instead: Polly's circuit breaker
/// (<c>AddResilienceHandler</c>) and the standard resilience handler. Goal: the guard adds no more time than the
/// circuit breaker, and no allocation beyond the Authorization header.
/// </summary>
[MemoryDiagnoser]
public class UserPathBenchmarks
{
    private readonly InstantJira _jira = new();
    private UserClients _clients = null!;
    private HttpClient _bare = null!;
    private HttpClient _header = null!;
    private HttpClient _config = null!;
    private HttpClient _env = null!;
    private HttpClient _file = null!;
    private HttpClient _breaker = null!;
    private HttpClient _standard = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clients = UserClients.Create(() => new Forwarder(_jira));
        _clients.Prove();
        _bare = _clients.Named("bare");
        _header = _clients.Named("header");
        _config = _clients.Jira(UserClients.ConfigConnection);
        _env = _clients.Jira(UserClients.EnvConnection);
        _file = _clients.Jira(UserClients.FileConnection);
        _breaker = _clients.Named("breaker");
        _standard = _clients.Named("standard");
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Description = "Factory client, bare")]
    public HttpResponseMessage Bare() => Get(_bare);

    [Benchmark(Baseline = true, Description = "Factory client, Authorization header only")]
    public HttpResponseMessage HeaderOnly() => Get(_header);

    [Benchmark(Description = "Guard, token from config")]
    public HttpResponseMessage GuardConfig() => Get(_config);

    [Benchmark(Description = "Guard, token from env")]
    public HttpResponseMessage GuardEnv() => Get(_env);

    [Benchmark(Description = "Guard, token from file")]
    public HttpResponseMessage GuardFile() => Get(_file);

    [Benchmark(Description = "Polly circuit breaker + header")]
    public HttpResponseMessage PollyBreaker() => Get(_breaker);

    [Benchmark(Description = "Standard resilience handler + header")]
    public HttpResponseMessage StandardResilience() => Get(_standard);

    // The in-memory Jira shares one response object: it is not disposed here.
    private static HttpResponseMessage Get(HttpClient client) => client.GetAsync(UserClients.Path).GetAwaiter().GetResult();

    /// <summary>A primary handler per client (the factory disposes its handlers), all answering from one in-memory Jira.</summary>
    private sealed class Forwarder(HttpMessageHandler jira) : DelegatingHandler(jira)
    {
        protected override void Dispose(bool disposing)
        {
            // The shared Jira outlives the factory's handlers.
        }
    }
}
