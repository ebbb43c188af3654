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
    /// The token is sent only to the connection's own scheme, host and port, so an absolute URL to another
    /// host through this client cannot leak it; plain HTTP is used only for loopback instances.
    /// On the success path with a proven token the handler allocates nothing of its own.
    /// </remarks>
    public sealed class JiraLockoutGuardHandler : DelegatingHandler
    {
        private readonly JiraConnection _connection;
        private readonly IJiraSecretResolver _resolver;
        private readonly JiraLockoutGuard _guard;
        private readonly IJiraGuardAccount _account;
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
            if (credential is null || !ReferenceEquals(credential.Secret, secret))
            {
                return SendGuardedAsync(request, null, null, cancellationToken);
            }

            ValueTask<JiraAdmission> admitting = _account.TryAdmitAsync(credential.TokenId, _guard.Policy, cancellationToken);
            if (!admitting.IsCompletedSuccessfully)
            {
                return SendGuardedAsync(request, null, admitting.AsTask(), cancellationToken, credential);
            }

            JiraAdmission admission = admitting.Result;
            if (admission.Decision != JiraAdmissionDecision.Proceed)
            {
                return SendGuardedAsync(request, null, Task.FromResult(admission), cancellationToken, credential);
            }

            Task<HttpResponseMessage> sending = Send(request, credential, cancellationToken);
            if (admission.IsProbe || sending.Status != TaskStatus.RanToCompletion || JiraResponseClassifier.Classify(sending.Result) != JiraAttemptOutcome.Authenticated)
            {
                return SendGuardedAsync(request, new Started(credential, admission, sending), null, cancellationToken);
            }

            ValueTask<JiraGuardStatus> completing = _account.CompleteAsync(admission, JiraAttemptOutcome.Authenticated, _guard.Policy, CancellationToken.None);
            return completing.IsCompletedSuccessfully ? sending : AfterCompletionAsync(completing, sending.Result);
        }

        private static async Task<HttpResponseMessage> AfterCompletionAsync(ValueTask<JiraGuardStatus> completing, HttpResponseMessage response)
        {
            await completing.ConfigureAwait(false);
            return response;
        }

        /// <summary>
        /// The whole protocol: admission (waiting, or refusing with an exception), sending, classifying,
        /// completing, and retrying 429/503. The fast path hands over what it already did.
        /// </summary>
        private async Task<HttpResponseMessage> SendGuardedAsync(HttpRequestMessage request, Started? started, Task<JiraAdmission>? pending, CancellationToken cancellationToken, Credential? pendingCredential = null)
        {
            JiraAdmission? firstAnswer = null;
            if (pending is not null)
            {
                // The fast path's admission: sent when it proceeds, else acted on (wait or refuse) without asking again.
                JiraAdmission admitted = await pending.ConfigureAwait(false);
                if (admitted.Decision == JiraAdmissionDecision.Proceed)
                {
                    started = new Started(pendingCredential!, admitted, Send(request, pendingCredential!, cancellationToken));
                }
                else
                {
                    firstAnswer = admitted;
                }
            }

            for (int retry = 0; ; retry++)
            {
                Credential credential;
                JiraAdmission admission;
                Task<HttpResponseMessage> sending;
                if (started is not null)
                {
                    (credential, admission, sending) = (started.Credential, started.Admission, started.Sending);
                    started = null;
                }
                else
                {
                    credential = await GetCredentialAsync(_resolver.Resolve(_connection), cancellationToken).ConfigureAwait(false);
                    admission = await _guard.AdmitAsync(_connection, _account, credential.TokenId, cancellationToken, firstAnswer).ConfigureAwait(false);
                    firstAnswer = null;
                    sending = Send(request, credential, cancellationToken);
                }

                HttpResponseMessage response;
                try
                {
                    response = await sending.ConfigureAwait(false);
                }
                catch
                {
                    await _guard.CompleteAsync(_connection, _account, admission, JiraAttemptOutcome.Inconclusive, 0, null).ConfigureAwait(false);
                    throw;
                }

                JiraAttemptOutcome outcome = JiraResponseClassifier.Classify(response);
                int status = (int)response.StatusCode;
                string? loginReason = outcome is JiraAttemptOutcome.Rejected or JiraAttemptOutcome.Locked ? JiraResponseClassifier.LoginReason(response) : null;
                JiraGuardStatus state = await _guard.CompleteAsync(_connection, _account, admission, outcome, status, loginReason).ConfigureAwait(false);

                switch (outcome)
                {
                    case JiraAttemptOutcome.Authenticated:
                        return response;
                    case JiraAttemptOutcome.Rejected:
                    case JiraAttemptOutcome.Locked:
                        response.Dispose();
                        throw new JiraAuthenticationException(_connection.Nickname, _account.Account, _connection.ApiToken, status, loginReason, outcome == JiraAttemptOutcome.Locked, state.FailedAttempts, _guard.Policy.MaxFailedAttempts);
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

        private Task<HttpResponseMessage> Send(HttpRequestMessage request, Credential credential, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = credential.Header;
            try
            {
                return base.SendAsync(request, cancellationToken);
            }
            catch (Exception exception)
            {
                return Task.FromException<HttpResponseMessage>(exception);
            }
        }

        private async ValueTask<Credential> GetCredentialAsync(JiraSecret secret, CancellationToken cancellationToken)
        {
            Credential? credential = _credential;
            if (credential is not null && ReferenceEquals(credential.Secret, secret))
            {
                return credential;
            }

            string tokenId = await _account.IdentifyTokenAsync(secret, cancellationToken).ConfigureAwait(false);
            credential = new Credential(secret, tokenId, CreateHeader(secret));
            _credential = credential;
            return credential;
        }

        private AuthenticationHeaderValue CreateHeader(JiraSecret secret) =>
            _connection.Auth == JiraAuthKind.Bearer
                ? new AuthenticationHeaderValue("Bearer", secret.RevealValue())
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_connection.Username + ":" + secret.RevealValue())));

        /// <summary>The token goes only to the connection's own scheme, host and port.</summary>
        private void CheckDestination(HttpRequestMessage request)
        {
            Uri? target = request.RequestUri;
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

        /// <summary>What the fast path had done when it handed over.</summary>
        private sealed class Started
        {
            public Started(Credential credential, JiraAdmission admission, Task<HttpResponseMessage> sending)
            {
                Credential = credential;
                Admission = admission;
                Sending = sending;
            }

            public Credential Credential { get; }

            public JiraAdmission Admission { get; }

            public Task<HttpResponseMessage> Sending { get; }
        }

        /// <summary>A resolved token with its identifier and its header, reused while the token is unchanged.</summary>
        private sealed class Credential
        {
            public Credential(JiraSecret secret, string tokenId, AuthenticationHeaderValue header)
            {
                Secret = secret;
                TokenId = tokenId;
                Header = header;
            }

            public JiraSecret Secret { get; }

            public string TokenId { get; }

            public AuthenticationHeaderValue Header { get; }
        }
    }
}
