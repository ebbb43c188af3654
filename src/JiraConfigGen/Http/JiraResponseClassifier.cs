using System;
using System.Collections.Generic;
using System.Net.Http;

namespace JiraConfigGen
{
    /// <summary>Reads what a Jira answer says about the credentials (jira-facts.md), without allocating on success.</summary>
    internal static class JiraResponseClassifier
    {
        public const string LoginReasonHeader = "X-Seraph-LoginReason";
        public const string DeniedReasonHeader = "X-Authentication-Denied-Reason";
        private const string AuthenticationDenied = "AUTHENTICATION_DENIED";
        private const string AuthenticatedFailed = "AUTHENTICATED_FAILED";

        public static JiraAttemptOutcome Classify(HttpResponseMessage response)
        {
            int status = (int)response.StatusCode;
            if (HasDeniedReason(response) || LoginReasonContains(response, AuthenticationDenied))
            {
                return JiraAttemptOutcome.Locked;
            }

            if (status == 401 || LoginReasonContains(response, AuthenticatedFailed))
            {
                return JiraAttemptOutcome.Rejected;
            }

            // 407 is a proxy's, 429/503 and other 5xx say nothing about the token.
            return status == 407 || status == 429 || status >= 500 ? JiraAttemptOutcome.Inconclusive : JiraAttemptOutcome.Authenticated;
        }

        public static bool IsRetryable(HttpResponseMessage response) => (int)response.StatusCode is 429 or 503;

        /// <summary>
        /// Whether a request that failed with <paramref name="error"/> may have reached Jira: anything but a
        /// failure to connect at all (name resolution, connection, TLS, proxy tunnel), which leaves nothing for
        /// Jira to count. When in doubt, it may have.
        /// </summary>
        public static bool MayHaveReachedJira(Exception error)
        {
#if NET8_0_OR_GREATER
            return error is not HttpRequestException
            {
                HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
            };
#else
            // Without HttpRequestError, only what the socket said while connecting is trusted.
            for (Exception? e = error; e is not null; e = e.InnerException)
            {
                if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData }
                    || e is System.Security.Authentication.AuthenticationException)
                {
                    return false;
                }
            }

            return true;
#endif
        }

        /// <summary>The <c>Retry-After</c> delay (seconds or a date), or null when the answer has none.</summary>
        public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
        {
            var header = response.Headers.RetryAfter;
            if (header?.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (header?.Date is { } date)
            {
                TimeSpan wait = date - time.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }

        public static string? LoginReason(HttpResponseMessage response) =>
            response.Headers.TryGetValues(LoginReasonHeader, out IEnumerable<string>? values) ? string.Join(", ", values) : null;

#if NET8_0_OR_GREATER
        private static bool HasDeniedReason(HttpResponseMessage response) => response.Headers.NonValidated.Contains(DeniedReasonHeader);

        private static bool LoginReasonContains(HttpResponseMessage response, string reason)
        {
            if (!response.Headers.NonValidated.TryGetValues(LoginReasonHeader, out System.Net.Http.Headers.HeaderStringValues values))
            {
                return false;
            }

            foreach (string value in values)
            {
                if (value.IndexOf(reason, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
#else
        private static bool HasDeniedReason(HttpResponseMessage response) => response.Headers.Contains(DeniedReasonHeader);

        private static bool LoginReasonContains(HttpResponseMessage response, string reason) =>
            response.Headers.TryGetValues(LoginReasonHeader, out IEnumerable<string>? values) &&
            System.Linq.Enumerable.Any(values, v => v.IndexOf(reason, StringComparison.OrdinalIgnoreCase) >= 0);
#endif
    }
}
