using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JiraConfigGen.Emulator;

/// <summary>What the emulator knows about one account: every attempt it counted.</summary>
/// <param name="Username">The account's user name.</param>
/// <param name="FailedAttempts">Every request that reached it with a wrong token (what Jira counts toward the lock).</param>
/// <param name="ConsecutiveFailures">Failures since the last success; the fourth locks the account.</param>
/// <param name="IsLocked">Whether the account is locked (CAPTCHA): every request gets 403 AUTHENTICATION_DENIED.</param>
/// <param name="Successes">Requests that authenticated.</param>
/// <param name="DeniedWhileLocked">Requests refused because the account was locked.</param>
public sealed record JiraEmulatorAccount(string Username, int FailedAttempts, int ConsecutiveFailures, bool IsLocked, int Successes, int DeniedWhileLocked);

/// <summary>One request as the emulator saw it: never the token, only how it authenticated.</summary>
/// <param name="Path">The path, without the context path.</param>
/// <param name="Scheme">The Authorization scheme (<c>Basic</c>, <c>Bearer</c>) or empty.</param>
/// <param name="Username">The account it named (Basic) or whose token it carried (Bearer), if known.</param>
/// <param name="StatusCode">The answer's status.</param>
public sealed record JiraEmulatorRequest(string Path, string Scheme, string? Username, int StatusCode);

/// <summary>Options of <see cref="JiraEmulator"/>.</summary>
public sealed class JiraEmulatorOptions
{
    /// <summary>Consecutive failed logins after which an account is locked (Jira: 4).</summary>
    public int LockAfterFailures { get; set; } = 4;

    /// <summary>A context path to serve under, like a Data Center instance (e.g. <c>/jira</c>); none by default.</summary>
    public string ContextPath { get; set; } = string.Empty;
}

/// <summary>
/// An emulator of Jira's authentication behaviour, served by Kestrel on 127.0.0.1 with a free port:
/// accounts with API tokens (Basic) and personal access tokens (Bearer); <c>/rest/api/{2,3}/myself</c> and
/// <c>/mypermissions</c>; a wrong token gets 401 with <c>X-Seraph-LoginReason: AUTHENTICATED_FAILED</c>
/// (200 with that header on <c>mypermissions</c>, which allows anonymous access); the fourth consecutive
/// failure locks the account, after which every request for it, even with the right token, gets 403 with
/// <c>AUTHENTICATION_DENIED</c> and a CAPTCHA <c>X-Authentication-Denied-Reason</c> until
/// <see cref="Unlock"/>; a success resets the count. Admin calls revoke and add tokens, switch on
/// 429 answers and make the connection drop after a request was counted; every failed attempt is counted
/// so tests can assert on them. As in Jira, a request is authenticated (and counted) when it arrives, before
/// the slow part of its work (<see cref="ResponseDelay"/>): a client that gives up while waiting for the
/// answer has already spent an attempt.
/// </summary>
public sealed class JiraEmulator : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly JiraEmulatorOptions _options;
    private readonly WebApplication _app;
    private int _throttleRemaining;
    private int _dropRemaining;
    private int _throttleStatus = 429;
    private TimeSpan _throttleRetryAfter;
    private readonly System.Collections.Concurrent.ConcurrentQueue<JiraEmulatorRequest> _log = new();
    private int _requests;
    private int _throttled;
    private int _inFlight;
    private int _maxInFlight;
    private TaskCompletionSource? _hold;

    private JiraEmulator(WebApplication app, JiraEmulatorOptions options)
    {
        _app = app;
        _options = options;
    }

    /// <summary>The address to send requests to, e.g. <c>http://127.0.0.1:41234/</c> (with the context path).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The instance as a connections file writes it: <c>127.0.0.1:41234</c> (with the context path).</summary>
    public string InstanceUrl { get; private set; } = null!;

    /// <summary>How long each request takes, after it was authenticated, before it is answered, so that concurrent calls overlap.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Requests whose connection was dropped after they were authenticated and counted (<see cref="DropConnections"/>).</summary>
    public int DroppedRequests { get; private set; }

    /// <summary>Every request received, throttled ones included.</summary>
    public int TotalRequests => Volatile.Read(ref _requests);

    /// <summary>Requests answered with 429/503 by <see cref="Throttle"/>.</summary>
    public int ThrottledRequests => Volatile.Read(ref _throttled);

    /// <summary>The most requests it was handling at once.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests received and not yet answered.</summary>
    public int RequestsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Holds every answer (after the request is counted, as <see cref="ResponseDelay"/> does) until the returned object is
    /// disposed: a test reads how many requests a client has in flight at once without racing the clock.
    /// </summary>
    public IDisposable HoldResponses()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _hold, gate);
        return new Releaser(() =>
        {
            Interlocked.CompareExchange(ref _hold, null, gate);
            gate.TrySetResult();
        });
    }

    /// <summary>Every request answered, in order: path, scheme, account and status (never a token).</summary>
    public IReadOnlyCollection<JiraEmulatorRequest> Requests => _log.ToArray();

    /// <summary>Starts an emulator on 127.0.0.1 with a free port.</summary>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<JiraEmulator> StartAsync(JiraEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new JiraEmulatorOptions();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var emulator = new JiraEmulator(app, options);
        if (options.ContextPath.Length > 0)
        {
            app.UsePathBase(options.ContextPath);
        }

        app.Run(emulator.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var root = new Uri(address);
        emulator.InstanceUrl = $"127.0.0.1:{root.Port}{options.ContextPath}";
        emulator.BaseAddress = new Uri($"http://{emulator.InstanceUrl}/");
        return emulator;
    }

    /// <summary>Adds an account with one valid token.</summary>
    /// <param name="username">The user name (an email address on Cloud).</param>
    /// <param name="token">A valid API token or personal access token.</param>
    /// <param name="displayName">What <c>/myself</c> shows; the user name when null.</param>
    /// <param name="isAdministrator">Whether it has the Administer Jira global permission.</param>
    public void AddAccount(string username, string token, string? displayName = null, bool isAdministrator = false)
    {
        lock (_gate)
        {
            var account = new Account(username, displayName ?? username, isAdministrator);
            account.Tokens.Add(token);
            _accounts[username] = account;
        }
    }

    /// <summary>Makes <paramref name="token"/> valid for the account (a new API token, or a rotated one).</summary>
    /// <param name="username">The account.</param>
    /// <param name="token">The token.</param>
    public void AddToken(string username, string token)
    {
        lock (_gate)
        {
            Get(username).Tokens.Add(token);
        }
    }

    /// <summary>Revokes <paramref name="token"/>: from now on it is a wrong token.</summary>
    /// <param name="username">The account.</param>
    /// <param name="token">The token.</param>
    public void RevokeToken(string username, string token)
    {
        lock (_gate)
        {
            Get(username).Tokens.Remove(token);
        }
    }

    /// <summary>What an administrator does after a lock: clears it and the failure count.</summary>
    /// <param name="username">The account.</param>
    public void Unlock(string username)
    {
        lock (_gate)
        {
            Account account = Get(username);
            account.IsLocked = false;
            account.ConsecutiveFailures = 0;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests, before authentication, with a rate limit.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> to send (whole seconds).</param>
    /// <param name="statusCode">429 (rate limited) or 503 (unavailable).</param>
    public void Throttle(int count, TimeSpan retryAfter, int statusCode = 429)
    {
        lock (_gate)
        {
            _throttleRemaining = count;
            _throttleRetryAfter = retryAfter;
            _throttleStatus = statusCode;
        }
    }

    /// <summary>
    /// Drops the connection of the next <paramref name="count"/> requests that reach authentication, after they
    /// were authenticated and counted and before any answer: a transport that fails after sending.
    /// </summary>
    /// <param name="count">How many requests.</param>
    public void DropConnections(int count)
    {
        lock (_gate)
        {
            _dropRemaining = count;
        }
    }

    /// <summary>The counts of one account.</summary>
    /// <param name="username">The account.</param>
    /// <returns>A snapshot.</returns>
    public JiraEmulatorAccount GetAccount(string username)
    {
        lock (_gate)
        {
            Account a = Get(username);
            return new JiraEmulatorAccount(a.Username, a.FailedAttempts, a.ConsecutiveFailures, a.IsLocked, a.Successes, a.DeniedWhileLocked);
        }
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private Account Get(string username) =>
        _accounts.TryGetValue(username, out Account? account) ? account : throw new KeyNotFoundException($"The emulator has no account '{username}'.");

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        int inFlight = Interlocked.Increment(ref _inFlight);
        for (int max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        // A request stops counting when its answer starts: the client can send the next one from then on.
        int done = 0;
        void Finished()
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        context.Response.OnStarting(() =>
        {
            Finished();
            return Task.CompletedTask;
        });
        try
        {
            await AnswerAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Finished();
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? string.Empty;
        bool myself = path is "/rest/api/2/myself" or "/rest/api/3/myself";
        bool permissions = path is "/rest/api/2/mypermissions" or "/rest/api/3/mypermissions";
        if (!myself && !permissions)
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (TryThrottle(out int throttleStatus, out TimeSpan retryAfter))
        {
            context.Response.StatusCode = throttleStatus;
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        string authorization = context.Request.Headers.Authorization.ToString();
        (Verdict verdict, Account? account) = Authenticate(authorization);

        // Counted; now the slow part, which a client may not wait for.
        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted).ConfigureAwait(false);
        }

        if (Volatile.Read(ref _hold) is { } hold)
        {
            await hold.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (TryDrop())
        {
            context.Abort();
            return;
        }

        context.Response.OnStarting(() =>
        {
            string scheme = authorization.Split(' ', 2)[0];
            _log.Enqueue(new JiraEmulatorRequest(path, scheme, account?.Username, context.Response.StatusCode));
            return Task.CompletedTask;
        });
        switch (verdict)
        {
            case Verdict.Locked:
                context.Response.StatusCode = 403;
                context.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATION_DENIED";
                context.Response.Headers["X-Authentication-Denied-Reason"] = $"CAPTCHA_CHALLENGE; login-url={BaseAddress}login.jsp";
                return;
            case Verdict.Failed when permissions:
                // Endpoints that allow anonymous access answer 200, flagging the failed login in a header.
                context.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
                await WriteJsonAsync(context, "{\"permissions\":{\"ADMINISTER\":{\"id\":\"0\",\"key\":\"ADMINISTER\",\"havePermission\":false}}}").ConfigureAwait(false);
                return;
            case Verdict.Failed:
            case Verdict.Anonymous when myself:
                context.Response.StatusCode = 401;
                if (verdict == Verdict.Failed)
                {
                    context.Response.Headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED";
                }

                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("Client must be authenticated to access this resource.").ConfigureAwait(false);
                return;
            case Verdict.Anonymous:
                await WriteJsonAsync(context, "{\"permissions\":{\"ADMINISTER\":{\"id\":\"0\",\"key\":\"ADMINISTER\",\"havePermission\":false}}}").ConfigureAwait(false);
                return;
        }

        context.Response.Headers["X-Seraph-LoginReason"] = "OK";
        context.Response.Headers["X-AUSERNAME"] = account!.Username;
        string json = myself
            ? $"{{\"accountId\":\"{Hash(account.Username)}\",\"name\":\"{account.Username}\",\"emailAddress\":\"{account.Username}\",\"displayName\":\"{account.DisplayName}\",\"active\":true}}"
            : $"{{\"permissions\":{{\"ADMINISTER\":{{\"id\":\"0\",\"key\":\"ADMINISTER\",\"havePermission\":{(account.IsAdministrator ? "true" : "false")}}}}}}}";
        await WriteJsonAsync(context, json).ConfigureAwait(false);
    }

    private bool TryThrottle(out int status, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            status = _throttleStatus;
            retryAfter = _throttleRetryAfter;
            if (_throttleRemaining <= 0)
            {
                return false;
            }

            _throttleRemaining--;
            _throttled++;
            return true;
        }
    }

    private bool TryDrop()
    {
        lock (_gate)
        {
            if (_dropRemaining <= 0)
            {
                return false;
            }

            _dropRemaining--;
            DroppedRequests++;
            return true;
        }
    }

    private (Verdict Verdict, Account? Account) Authenticate(string authorization)
    {
        string? username = null;
        string? token = null;
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            }
            catch (FormatException)
            {
                return (Verdict.Failed, null);
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return (Verdict.Failed, null);
            }

            (username, token) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        else if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization[7..].Trim();
        }
        else
        {
            return (Verdict.Anonymous, null);
        }

        lock (_gate)
        {
            Account? account = username is not null
                ? _accounts.GetValueOrDefault(username)
                : _accounts.Values.FirstOrDefault(a => a.Tokens.Contains(token));
            if (account is null)
            {
                return (Verdict.Failed, null);
            }

            if (account.IsLocked)
            {
                account.DeniedWhileLocked++;
                return (Verdict.Locked, account);
            }

            if (!account.Tokens.Contains(token))
            {
                account.FailedAttempts++;
                account.ConsecutiveFailures++;
                account.IsLocked = account.ConsecutiveFailures >= _options.LockAfterFailures;
                return (Verdict.Failed, account);
            }

            account.ConsecutiveFailures = 0;
            account.Successes++;
            return (Verdict.Succeeded, account);
        }
    }

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    private static string Hash(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();

    private enum Verdict
    {
        Succeeded,
        Failed,
        Locked,
        Anonymous,
    }

    private sealed class Account(string username, string displayName, bool isAdministrator)
    {
        public string Username { get; } = username;

        public string DisplayName { get; } = displayName;

        public bool IsAdministrator { get; } = isAdministrator;

        public HashSet<string> Tokens { get; } = new(StringComparer.Ordinal);

        public int FailedAttempts { get; set; }

        public int ConsecutiveFailures { get; set; }

        public bool IsLocked { get; set; }

        public int Successes { get; set; }

        public int DeniedWhileLocked { get; set; }
    }
}

/// <summary>Runs an action once, when disposed.</summary>
internal sealed class Releaser(Action release) : IDisposable
{
    private Action? _release = release;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
