using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConfigGen
{
    /// <summary>
    /// The handler every Jira client of a connection sends through: it resolves the connection's current
    /// token, asks the <see cref="JiraLockoutGuard"/> whether that token may be sent now, adds the
    /// <c>Authorization</c> header (Basic <c>username:token</c> or Bearer), and tells the guard what Jira
    /// answered. Auth failures become <see cref="JiraAuthenticationException"/> and are never retried;
    /// 429 and 503 are retried after <c>Retry-After</c>, a bounded number of times.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Place it last, directly in front of the handler that sends (the primary handler): the header is added
    /// at the last moment and removed as soon as the answer is in, so no handler or logger in front of it, the
    /// HTTP client factory's own logging included, ever sees the token. <c>AddJiraConnections</c> and
    /// <see cref="JiraClientFactory"/> place it there.
    /// </para>
    /// <para>
    /// A caller that gives up (cancellation, <c>HttpClient.Timeout</c>) gets its <see cref="OperationCanceledException"/>
    /// at once, but a request that was already sent is not cut off: it finishes in the background, for at most
    /// <see cref="JiraGuardOptions.AbandonedRequestTimeout"/>, and the guard records Jira's real answer. A request
    /// whose answer is never read (cut off then, or a transport that failed after sending) counts as a possible
    /// failed attempt until a later success: Jira may have counted it.
    /// </para>
    /// <para>
    /// The token is sent only to the connection's own scheme, host and port, so an absolute URL to another
    /// host through this client cannot leak it; plain HTTP is used only for loopback instances.
    /// On the success path with a proven token the handler allocates nothing of its own.
    /// </para>
    /// </remarks>
    public sealed class JiraLockoutGuardHandler : DelegatingHandler
    {
        private const int PooledLeases = 16; // a power of two

        private readonly JiraConnection _connection;
        private readonly IJiraSecretResolver _resolver;
        private readonly JiraLockoutGuard _guard;
        private readonly IJiraGuardAccount _account;
        private readonly AttemptLease?[] _leases = new AttemptLease?[PooledLeases];
        private readonly string _home;
        private volatile Credential? _credential;

        /// <summary>Creates the handler for one connection.</summary>
        /// <param name="connection">The connection whose requests this handler sends.</param>
        /// <param name="resolver">Resolves the connection's token for every request.</param>
        /// <param name="guard">The guard shared by every connection of the application.</param>
        public JiraLockoutGuardHandler(JiraConnection connection, IJiraSecretResolver resolver, JiraLockoutGuard guard)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
            _guard = guard ?? throw new ArgumentNullException(nameof(guard));
            _account = guard.GetAccount(connection.Account);
            _home = connection.BaseAddress.GetLeftPart(UriPartial.Authority) + "/";
        }

        /// <inheritdoc />
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            CheckDestination(request);
            JiraSecret secret = _resolver.Resolve(_connection);

            // The fast path: a known, proven token, admitted at once, answered at once with success.
            // Anything else continues in SendGuardedAsync from the point reached here.
            Credential? credential = _credential;
            if (credential is null || !ReferenceEquals(credential.Secret, secret) || cancellationToken.IsCancellationRequested)
            {
                return SendGuardedAsync(request, default, cancellationToken);
            }

            ValueTask<JiraAdmission> admitting = _account.TryAdmitAsync(credential.TokenId, _guard.Policy, cancellationToken);
            if (!admitting.IsCompletedSuccessfully)
            {
                return SendGuardedAsync(request, new Handover(credential, admitting), cancellationToken);
            }

            JiraAdmission admission = admitting.Result; // consumed once: the handover gets the result, not the ValueTask
            if (admission.Decision != JiraAdmissionDecision.Proceed)
            {
                return SendGuardedAsync(request, new Handover(credential, new ValueTask<JiraAdmission>(admission)), cancellationToken);
            }


            Attempt attempt = Start(request, credential, admission, cancellationToken);
            if (admission.IsProbe || attempt.Sending.Status != TaskStatus.RanToCompletion || JiraResponseClassifier.Classify(attempt.Sending.Result) != JiraAttemptOutcome.Authenticated)
            {
                return SendGuardedAsync(request, new Handover(attempt), cancellationToken);
            }

            Finish(request, attempt);
            ValueTask<JiraGuardStatus> completing = _account.CompleteAsync(admission, JiraAttemptOutcome.Authenticated, _guard.Policy, CancellationToken.None);
            return completing.IsCompletedSuccessfully ? attempt.Sending : AfterCompletionAsync(completing, attempt.Sending.Result);
        }

        private static async Task<HttpResponseMessage> AfterCompletionAsync(ValueTask<JiraGuardStatus> completing, HttpResponseMessage response)
        {
            await completing.ConfigureAwait(false);
            return response;
        }

        /// <summary>
        /// The whole protocol, in one state machine: admission (waiting for its turn, or refusing with an exception),
        /// sending, waiting for the answer (or handing the request to the background when the caller gives up),
        /// classifying, completing, and retrying 429/503. The fast path hands over what it already did.
        /// </summary>
        private async Task<HttpResponseMessage> SendGuardedAsync(HttpRequestMessage request, Handover handover, CancellationToken cancellationToken)
        {
            for (int retry = 0; ; retry++)
            {
                Attempt attempt;
                if (handover.Started is { } started)
                {
                    attempt = started;
                }
                else
                {
                    Credential credential = handover.Credential ?? await GetCredentialAsync(_resolver.Resolve(_connection), cancellationToken).ConfigureAwait(false);
                    JiraAdmission admission = handover.Credential is not null
                        ? await handover.Admitting.ConfigureAwait(false) // the fast path's question: acted on, not asked again
                        : await _account.TryAdmitAsync(credential.TokenId, _guard.Policy, cancellationToken).ConfigureAwait(false);
                    if (admission.Decision == JiraAdmissionDecision.Wait)
                    {
                        admission = await _account.WaitAsync(admission, cancellationToken).ConfigureAwait(false);
                    }

                    if (admission.Decision == JiraAdmissionDecision.Refuse)
                    {
                        throw _guard.Refused(_connection, _account, admission);
                    }

                    if (cancellationToken.IsCancellationRequested)
                    {
                        // Admitted, but the caller gave up before anything was sent: the place goes back, nothing is counted.
                        await _guard.CompleteAsync(_connection, _account, admission, JiraAttemptOutcome.Inconclusive, 0, null).ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    attempt = Start(request, credential, admission, cancellationToken);
                }

                handover = default;
                if (!attempt.Sending.IsCompleted && cancellationToken.CanBeCanceled)
                {
                    // Until the answer comes or the caller gives up, whichever is first; never throws.
#if NET8_0_OR_GREATER
                    await ((Task)attempt.Sending).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#else
                    await WaitForAnswerAsync(attempt.Sending, cancellationToken).ConfigureAwait(false);
#endif
                    if (!attempt.Sending.IsCompleted)
                    {
                        // The caller gave up. Jira may be processing the request already: it goes on, bounded, so
                        // that its real answer is learnt instead of guessed. The request object goes back to the
                        // caller's handlers (a retry may log it), so its header stops showing the token now.
                        bool credentialSent = attempt.Lease.Header.Revoke();
                        _ = CompleteAbandonedAsync(attempt, credentialSent);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                HttpResponseMessage response;
                try
                {
                    response = await attempt.Sending.ConfigureAwait(false);
                }
                catch (Exception error)
                {
                    Finish(request, attempt);
                    await _guard.CompleteAsync(_connection, _account, attempt.Admission, OutcomeOf(attempt, error), 0, null, error).ConfigureAwait(false);
                    throw;
                }

                Finish(request, attempt);
                JiraAttemptOutcome outcome = JiraResponseClassifier.Classify(response);
                int status = (int)response.StatusCode;
                string? loginReason = outcome is JiraAttemptOutcome.Rejected or JiraAttemptOutcome.Locked ? JiraResponseClassifier.LoginReason(response) : null;
                JiraGuardStatus state = await _guard.CompleteAsync(_connection, _account, attempt.Admission, outcome, status, loginReason).ConfigureAwait(false);

                switch (outcome)
                {
                    case JiraAttemptOutcome.Authenticated:
                        return response;
                    case JiraAttemptOutcome.Rejected:
                    case JiraAttemptOutcome.Locked:
                        response.Dispose();
                        throw new JiraAuthenticationException(_connection.Nickname, _account.Account, _connection.ApiToken, status, loginReason, outcome == JiraAttemptOutcome.Locked, state.FailedAttempts, _guard.Policy.MaxFailedAttempts, _account.ResetInstructions);
                }

                if (!JiraResponseClassifier.IsRetryable(response) || retry >= _guard.Options.MaxRetries)
                {
                    return response;
                }

                TimeSpan delay = JiraResponseClassifier.RetryAfter(response, _guard.Time) ?? _guard.Options.DefaultRetryDelay;
                if (delay > _guard.Options.MaxRetryDelay)
                {
                    return response;
                }

                response.Dispose();
                _guard.Metrics.Retry(_connection.Nickname, status);
                JiraGuardLog.Retrying(_guard.Logger, _connection.Nickname, status, delay, retry + 1, _guard.Options.MaxRetries);
                await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Sends with the credential. The request gets a cancellation of its own, not the caller's: a caller that
        /// gives up does not cut off a request Jira may be processing (see <see cref="CompleteAbandonedAsync"/>).
        /// </summary>
        private Attempt Start(HttpRequestMessage request, Credential credential, JiraAdmission admission, CancellationToken cancellationToken)
        {
            AttemptLease lease = RentLease();
            lease.Header.Lend(credential.HeaderText);
            long sentAt = _guard.Time.GetTimestamp();
            request.Headers.Authorization = lease.Header;
            try
            {
                // A caller that cannot give up needs no cut-off.
                CancellationToken cutoff = cancellationToken.CanBeCanceled ? lease.Cutoff.Token : CancellationToken.None;
                return new Attempt(admission, base.SendAsync(request, cutoff), lease, sentAt, sentSynchronouslyFailed: false);
            }
            catch (Exception exception)
            {
                // Thrown before a task existed: the request never left.
                return new Attempt(admission, Task.FromException<HttpResponseMessage>(exception), lease, sentAt, sentSynchronouslyFailed: true);
            }
        }

        /// <summary>
        /// The answer is in (or never will be): the request keeps only the scheme (replacing the value, not removing
        /// the header, costs nothing), and the lease goes back to the pool.
        /// </summary>
        private void Finish(HttpRequestMessage request, Attempt attempt)
        {
            request.Headers.Authorization = attempt.Lease.Withdrawn;
            ReturnLease(attempt.Lease);
        }

#if !NET8_0_OR_GREATER
        /// <summary>Returns when the request has an answer, or when the caller gives up; never throws.</summary>
        private static async Task WaitForAnswerAsync(Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
        {
            var gaveUp = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), gaveUp))
            {
                await Task.WhenAny(sending, gaveUp.Task).ConfigureAwait(false);
            }
        }
#endif

        /// <summary>
        /// A request whose caller gave up: it runs on until Jira answers or <see cref="JiraGuardOptions.AbandonedRequestTimeout"/>
        /// (from when it was sent) is up, when it is cut off. Jira's answer is recorded as any other; a request cut off,
        /// or failing after it was sent, counts as a possible failed attempt. When the header was withdrawn before the
        /// transport read it (<paramref name="credentialSent"/> false), the request went without the token: its answer
        /// says nothing about the token, unless it says that the account is locked.
        /// </summary>
        private async Task CompleteAbandonedAsync(Attempt attempt, bool credentialSent)
        {
            CancellationTokenSource cutoff = attempt.Lease.Cutoff;
            TimeSpan left = _guard.Options.AbandonedRequestTimeout - _guard.Time.GetElapsedTime(attempt.SentAt);
            HttpResponseMessage? response = null;
            JiraAttemptOutcome outcome;
            Exception? error = null;
            using (ITimer deadline = _guard.Time.CreateTimer(static state => CancelQuietly((CancellationTokenSource)state!), cutoff, left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan))
            {
                try
                {
                    response = await attempt.Sending.ConfigureAwait(false);
                    outcome = JiraResponseClassifier.Classify(response);
                    if (!credentialSent && outcome != JiraAttemptOutcome.Locked)
                    {
                        outcome = JiraAttemptOutcome.Inconclusive;
                    }
                }
                catch (Exception e)
                {
                    error = e;
                    outcome = credentialSent ? OutcomeOf(attempt, e) : JiraAttemptOutcome.Inconclusive;
                }
            }

            // The request object may still be in the caller's hands, with the withdrawn header: the lease is not reused.
            cutoff.Dispose();
            try
            {
                int status = response is null ? 0 : (int)response.StatusCode;
                string? loginReason = response is not null && outcome is JiraAttemptOutcome.Rejected or JiraAttemptOutcome.Locked ? JiraResponseClassifier.LoginReason(response) : null;
                await _guard.CompleteAsync(_connection, _account, attempt.Admission, outcome, status, loginReason, error, abandoned: true).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Nobody awaits this task: say what went wrong rather than lose it.
                JiraGuardLog.StoreFailed(_guard.Logger, _connection.Nickname, e.GetType().Name);
            }
            finally
            {
                response?.Dispose();
            }
        }

        private static void CancelQuietly(CancellationTokenSource cutoff)
        {
            try
            {
                cutoff.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The answer came first.
            }
        }

        /// <summary>What an attempt that ended in <paramref name="error"/> means for the account.</summary>
        private static JiraAttemptOutcome OutcomeOf(Attempt attempt, Exception error) =>
            !attempt.SentSynchronouslyFailed && JiraResponseClassifier.MayHaveReachedJira(error) ? JiraAttemptOutcome.Unanswered : JiraAttemptOutcome.Inconclusive;

        private AttemptLease RentLease()
        {
            // Each thread starts at a slot of its own, so concurrent callers do not fight over the first one.
            int start = Environment.CurrentManagedThreadId;
            for (int n = 0; n < PooledLeases; n++)
            {
                int i = (start + n) & (PooledLeases - 1);
                AttemptLease? pooled = _leases[i];
                if (pooled is not null && Interlocked.CompareExchange(ref _leases[i], null, pooled) == pooled)
                {
                    return pooled;
                }
            }

            return new AttemptLease(_connection.Auth == JiraAuthKind.Bearer ? "Bearer" : "Basic");
        }

        private void ReturnLease(AttemptLease lease)
        {
            lease.Header.Clear();
            if (!lease.TryReset())
            {
                return;
            }

            int start = Environment.CurrentManagedThreadId;
            for (int n = 0; n < PooledLeases; n++)
            {
                int i = (start + n) & (PooledLeases - 1);
                if (_leases[i] is null && Interlocked.CompareExchange(ref _leases[i], lease, null) is null)
                {
                    return;
                }
            }

            lease.Cutoff.Dispose();
        }

        private async ValueTask<Credential> GetCredentialAsync(JiraSecret secret, CancellationToken cancellationToken)
        {
            Credential? credential = _credential;
            if (credential is not null && ReferenceEquals(credential.Secret, secret))
            {
                return credential;
            }

            string tokenId = await _account.IdentifyTokenAsync(secret, cancellationToken).ConfigureAwait(false);
            credential = new Credential(secret, tokenId, CreateHeaderText(secret));
            _credential = credential;
            return credential;
        }

        private string CreateHeaderText(JiraSecret secret) =>
            _connection.Auth == JiraAuthKind.Bearer
                ? "Bearer " + secret.RevealValue()
                : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_connection.Username + ":" + secret.RevealValue()));

        /// <summary>The token goes only to the connection's own scheme, host and port.</summary>
        private void CheckDestination(HttpRequestMessage request)
        {
            Uri? target = request.RequestUri;

            // The usual request, made from the client's BaseAddress: its text starts with the connection's own
            // "scheme://host[:port]/", which leaves no room for another authority (and asks the Uri for nothing).
            if (target is not null && target.OriginalString.StartsWith(_home, StringComparison.Ordinal))
            {
                return;
            }

            Uri home = _connection.BaseAddress;
            if (target is null || !target.IsAbsoluteUri ||
                !string.Equals(target.Scheme, home.Scheme, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(target.Host, home.Host, StringComparison.OrdinalIgnoreCase) ||
                target.Port != home.Port)
            {
                string where = target is { IsAbsoluteUri: true } ? target.GetLeftPart(UriPartial.Authority) : "a relative address with no BaseAddress";
                throw new InvalidOperationException($"The Jira client of connection '{_connection.Nickname}' sends its credentials only to {home.GetLeftPart(UriPartial.Authority)}; this request goes to {where}. Use another HttpClient for other hosts.");
            }
        }

        private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
#if NET8_0_OR_GREATER
            Task.Delay(delay, _guard.Time, cancellationToken);
#else
            _guard.Time.Delay(delay, cancellationToken);
#endif

        /// <summary>One admitted request on its way: what it was admitted as, its send, and its own cut-off.</summary>
        private readonly struct Attempt
        {
            public Attempt(JiraAdmission admission, Task<HttpResponseMessage> sending, AttemptLease lease, long sentAt, bool sentSynchronouslyFailed)
            {
                Admission = admission;
                Sending = sending;
                Lease = lease;
                SentAt = sentAt;
                SentSynchronouslyFailed = sentSynchronouslyFailed;
            }

            public JiraAdmission Admission { get; }

            public Task<HttpResponseMessage> Sending { get; }

            /// <summary>Its header and its cut-off.</summary>
            public AttemptLease Lease { get; }

            /// <summary>When it was sent, on the guard's clock.</summary>
            public long SentAt { get; }

            /// <summary>The handler below threw instead of returning a task: the request never left.</summary>
            public bool SentSynchronouslyFailed { get; }
        }

        /// <summary>What the fast path had done when it handed over: an attempt started, or an admission asked for.</summary>
        private readonly struct Handover
        {
            public Handover(Attempt started)
            {
                Started = started;
                Credential = null;
                Admitting = default;
            }

            public Handover(Credential credential, ValueTask<JiraAdmission> admitting)
            {
                Started = null;
                Credential = credential;
                Admitting = admitting;
            }

            public Attempt? Started { get; }

            /// <summary>With <see cref="Admitting"/>: the credential the fast path asked for.</summary>
            public Credential? Credential { get; }

            /// <summary>The fast path's admission question, to be awaited once.</summary>
            public ValueTask<JiraAdmission> Admitting { get; }
        }

        /// <summary>A resolved token with its identifier and its header's text, reused while the token is unchanged.</summary>
        private sealed class Credential
        {
            public Credential(JiraSecret secret, string tokenId, string headerText)
            {
                Secret = secret;
                TokenId = tokenId;
                HeaderText = headerText;
            }

            public JiraSecret Secret { get; }

            public string TokenId { get; }

            /// <summary><c>Basic base64(user:token)</c> or <c>Bearer token</c>: what goes on the wire.</summary>
            public string HeaderText { get; }
        }

        /// <summary>What one attempt borrows and gives back: its Authorization value and its cut-off.</summary>
        private sealed class AttemptLease
        {
            private static readonly AuthenticationHeaderValue BasicOnly = new("Basic");
            private static readonly AuthenticationHeaderValue BearerOnly = new("Bearer");

            public AttemptLease(string scheme)
            {
                Header = new AttemptAuthorization(scheme);
                Withdrawn = scheme == "Bearer" ? BearerOnly : BasicOnly;
            }

            public AttemptAuthorization Header { get; }

            /// <summary>What a request's header shows once its attempt is over: the scheme, no credential.</summary>
            public AuthenticationHeaderValue Withdrawn { get; }

            /// <summary>Cancels the send; only ever cancelled for a request its caller gave up on.</summary>
            public CancellationTokenSource Cutoff { get; private set; } = new();

            /// <summary>Ready for another attempt; false when the cut-off cannot be reused (then the lease is dropped).</summary>
            public bool TryReset()
            {
#if NET8_0_OR_GREATER
                // TryReset also drops every registration left on it, so a reused one cannot reach an earlier request.
                return Cutoff.TryReset();
#else
                Cutoff.Dispose();
                Cutoff = new CancellationTokenSource();
                return true;
#endif
            }
        }

        /// <summary>
        /// The Authorization value of one attempt. The transport reads it (ToString) when it writes the request;
        /// once the attempt is over, or its caller gave up, it is withdrawn and shows only the scheme, so that a
        /// request object that a retry sends through logging handlers again never shows the token.
        /// </summary>
        private sealed class AttemptAuthorization : AuthenticationHeaderValue
        {
            private string? _text;
            private int _read;

            public AttemptAuthorization(string scheme)
                : base(scheme)
            {
            }

            public void Lend(string text)
            {
                Volatile.Write(ref _read, 0);
                Volatile.Write(ref _text, text);
            }

            /// <summary>Forgets the value of an attempt that is over: nothing holds this object any more, so no fence is needed.</summary>
            public void Clear() => Volatile.Write(ref _text, null);

            /// <summary>Withdraws the value while the transport may still read it; returns whether it had read it before.</summary>
            public bool Revoke()
            {
                // Both sides use full fences, in opposite orders: either ToString sees the value gone, or this sees the read.
                Interlocked.Exchange<string?>(ref _text, null);
                return Volatile.Read(ref _read) != 0;
            }

            public override string ToString()
            {
                Interlocked.Exchange(ref _read, 1);
                return Volatile.Read(ref _text) ?? Scheme;
            }
        }
    }
}
