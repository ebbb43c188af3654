using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// An in-memory Jira: answers every request at once with the same 200 (with the
/// <c>X-Seraph-LoginReason: OK</c> Jira sends), so only the handlers in front of it are measured.
/// </summary>
internal sealed class InstantJira : HttpMessageHandler
{
    private readonly Task<HttpResponseMessage> _ok;

    public InstantJira()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("X-Seraph-LoginReason", "OK");
        _ok = Task.FromResult(response);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _ok;
}

/// <summary>
/// The baseline pipeline: what any client of a Jira connection does without a guard, resolving the
/// token for each request (so rotation works) and setting the Authorization header.
/// </summary>
internal sealed class AuthorizationOnlyHandler(JiraConnection connection, IJiraSecretResolver resolver) : DelegatingHandler
{
    private JiraSecret? _secret;
    private AuthenticationHeaderValue? _header;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        JiraSecret secret = resolver.Resolve(connection);
        if (!ReferenceEquals(secret, _secret))
        {
            _header = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(connection.Username + ":" + secret.RevealValue())));
            _secret = secret;
        }

        request.Headers.Authorization = _header;
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Builds the two pipelines over the same in-memory Jira.</summary>
internal static class Pipelines
{
    public static readonly JiraConnection Connection =
        new("Bench", "automation@contoso.com", "contoso.atlassian.net", JiraSecretReference.Configuration("Jira:Bench:ApiToken"));

    public static IJiraSecretResolver Resolver() =>
        new JiraSecretResolver(new ConfigurationBuilder().AddInMemoryCollection([new("Jira:Bench:ApiToken", "ATATT3xFfGF0-benchmark-token")]).Build());

    public static HttpMessageInvoker WithoutGuard() =>
        new(new AuthorizationOnlyHandler(Connection, Resolver()) { InnerHandler = new InstantJira() });

    public static HttpMessageInvoker WithGuard(JiraGuardOptions? options = null) =>
        new(new JiraLockoutGuardHandler(Connection, Resolver(), new JiraLockoutGuard(options)) { InnerHandler = new InstantJira() });
}

/// <summary>
/// The guard on the success path: one request through the handler pipeline with the guard, against the
/// same pipeline without it, on an in-memory Jira. Goal: under 1 microsecond and 0 bytes added.
/// </summary>
[MemoryDiagnoser]
public class GuardSuccessPathBenchmarks
{
    private readonly HttpRequestMessage _request = new(HttpMethod.Get, new Uri(Pipelines.Connection.BaseAddress, "rest/api/3/myself"));
    private HttpMessageInvoker _withoutGuard = null!;
    private HttpMessageInvoker _withGuard = null!;

    [GlobalSetup]
    public void Setup()
    {
        _withoutGuard = Pipelines.WithoutGuard();
        _withGuard = Pipelines.WithGuard();

        // The first request proves the token; from then on every request takes the success path.
        _withGuard.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Without the guard")]
    public HttpResponseMessage WithoutGuard() => _withoutGuard.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();

    [Benchmark(Description = "With the guard")]
    public HttpResponseMessage WithGuard() => _withGuard.SendAsync(_request, CancellationToken.None).GetAwaiter().GetResult();
}
