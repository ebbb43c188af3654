using System;
using System.Globalization;
using System.Net.Http;

namespace JiraConfigGen
{
    /// <summary>
    /// The lockout guard refused to send a call, because sending it could help lock the Jira account.
    /// Nothing reached Jira. <see cref="Reason"/> says what happened and <see cref="Fix"/> what to do.
    /// </summary>
    public sealed class JiraLockoutPreventedException : HttpRequestException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="connection">The connection's nickname.</param>
        /// <param name="account">The account.</param>
        /// <param name="token">The token's reference (never its value).</param>
        /// <param name="reason">Why the call was refused.</param>
        /// <param name="failedAttempts">Failures counted on the account.</param>
        /// <param name="maxFailedAttempts">The budget.</param>
        /// <param name="resetInstructions">How an operator clears a trip in the store in use (<see cref="IJiraGuardAccount.ResetInstructions"/>); the in-memory store's when null.</param>
        public JiraLockoutPreventedException(string connection, JiraAccount account, JiraSecretReference token, JiraLockoutReason reason, int failedAttempts, int maxFailedAttempts, string? resetInstructions = null)
            : base(JiraGuardMessages.Refused(connection, account, token, reason, failedAttempts, maxFailedAttempts, resetInstructions))
        {
            Connection = connection;
            Account = account;
            Reason = reason;
            FailedAttempts = failedAttempts;
            MaxFailedAttempts = maxFailedAttempts;
            Fix = JiraGuardMessages.Fix(account, token, reason, resetInstructions);
        }

        /// <summary>The nickname of the connection the call was for.</summary>
        public string Connection { get; }

        /// <summary>The account whose budget the guard protects.</summary>
        public JiraAccount Account { get; }

        /// <summary>Why the call was refused.</summary>
        public JiraLockoutReason Reason { get; }

        /// <summary>Failures counted on the account since its last success.</summary>
        public int FailedAttempts { get; }

        /// <summary>The failures allowed between two successes.</summary>
        public int MaxFailedAttempts { get; }

        /// <summary>What to do about it, in one or two sentences.</summary>
        public string Fix { get; }
    }

    /// <summary>
    /// Jira rejected a call's credentials (401, <c>AUTHENTICATED_FAILED</c>) or reported the account locked
    /// (<c>AUTHENTICATION_DENIED</c>, CAPTCHA). The guard has counted it, quarantined the token or tripped,
    /// and never retries it.
    /// </summary>
    public sealed class JiraAuthenticationException : HttpRequestException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="connection">The connection's nickname.</param>
        /// <param name="account">The account.</param>
        /// <param name="token">The token's reference (never its value).</param>
        /// <param name="statusCode">The HTTP status of Jira's answer.</param>
        /// <param name="loginReason">The <c>X-Seraph-LoginReason</c> header, if any.</param>
        /// <param name="isAccountLocked">Whether Jira reports the account locked.</param>
        /// <param name="failedAttempts">Failures counted on the account.</param>
        /// <param name="maxFailedAttempts">The budget.</param>
        /// <param name="resetInstructions">How an operator clears a trip in the store in use (<see cref="IJiraGuardAccount.ResetInstructions"/>); the in-memory store's when null.</param>
        public JiraAuthenticationException(string connection, JiraAccount account, JiraSecretReference token, int statusCode, string? loginReason, bool isAccountLocked, int failedAttempts, int maxFailedAttempts, string? resetInstructions = null)
            : base(JiraGuardMessages.Rejected(connection, account, token, statusCode, loginReason, isAccountLocked, failedAttempts, maxFailedAttempts, resetInstructions))
        {
            Connection = connection;
            Account = account;
            ResponseStatusCode = statusCode;
            LoginReason = loginReason;
            IsAccountLocked = isAccountLocked;
            FailedAttempts = failedAttempts;
            Fix = JiraGuardMessages.Fix(account, token, isAccountLocked ? JiraLockoutReason.AccountLocked : failedAttempts >= maxFailedAttempts ? JiraLockoutReason.AttemptsSpent : JiraLockoutReason.TokenRejected, resetInstructions);
        }

        /// <summary>The nickname of the connection the call was for.</summary>
        public string Connection { get; }

        /// <summary>The account.</summary>
        public JiraAccount Account { get; }

        /// <summary>The HTTP status of Jira's answer (401, 403, or 200 on endpoints that allow anonymous access).</summary>
        public int ResponseStatusCode { get; }

        /// <summary>The <c>X-Seraph-LoginReason</c> header Jira sent, if any.</summary>
        public string? LoginReason { get; }

        /// <summary>Whether Jira reports the account locked (only a person can unlock it).</summary>
        public bool IsAccountLocked { get; }

        /// <summary>Failures counted on the account since its last success, this one included.</summary>
        public int FailedAttempts { get; }

        /// <summary>What to do about it.</summary>
        public string Fix { get; }
    }

    /// <summary>The words of the guard's exceptions and logs, in one place.</summary>
    internal static class JiraGuardMessages
    {
        /// <summary>How a trip is cleared with the default, in-memory store.</summary>
        public const string InMemoryReset = "reset the guard in the process that refuses calls (JiraLockoutGuard.ResetAsync), or restart that process: the in-memory store forgets on restart";

        public static string Refused(string connection, JiraAccount account, JiraSecretReference token, JiraLockoutReason reason, int failed, int max, string? reset)
        {
            string what = reason switch
            {
                JiraLockoutReason.TokenRejected => $"Jira rejected its token ({token}) before, so the token is quarantined: sending it again would only spend the account's failed-login budget ({Count(failed, max)})",
                JiraLockoutReason.AttemptsSpent => $"{Count(failed, max)} reached Jira since the last success (rejected tokens, or requests whose answer never came and that Jira may have counted); one more could make Jira lock the account for every integration that uses it",
                JiraLockoutReason.AccountLocked => "Jira reports the account locked (CAPTCHA challenge): every API call fails, even with the right token, until a person signs in",
                JiraLockoutReason.StoreUnavailable => "the shared guard store (Redis) cannot be reached, and without it the guard risks nothing: in RefuseCalls mode it sends no call, in FallBackToLocal mode only calls with a token known to have worked",
                _ => "the account is not usable",
            };
            return $"The lockout guard did not send this call of Jira connection '{connection}' ({account}): {what}. Fix: {Fix(account, token, reason, reset)}";
        }

        public static string Rejected(string connection, JiraAccount account, JiraSecretReference token, int status, string? loginReason, bool locked, int failed, int max, string? reset)
        {
            string answer = status.ToString(CultureInfo.InvariantCulture) + (loginReason is null ? string.Empty : ", X-Seraph-LoginReason " + loginReason);
            if (locked)
            {
                return $"Jira reports the account of connection '{connection}' ({account}) locked ({answer}); the guard sends nothing more for it. Fix: {Fix(account, token, JiraLockoutReason.AccountLocked, reset)}";
            }

            JiraLockoutReason next = failed >= max ? JiraLockoutReason.AttemptsSpent : JiraLockoutReason.TokenRejected;
            return $"Jira rejected the token ({token}) of connection '{connection}' for {account} ({answer}). The guard quarantined this token and will not send it again ({Count(failed, max)}). Fix: {Fix(account, token, next, reset)}";
        }

        public static string Fix(JiraAccount account, JiraSecretReference token, JiraLockoutReason reason, string? reset) => Fix(account, token.ToString(), reason, reset);

        /// <summary>What to do, for an account whose connections read their tokens from <paramref name="tokens"/> (references, never values).</summary>
        public static string Fix(JiraAccount account, string tokens, JiraLockoutReason reason, string? reset) => reason switch
        {
            JiraLockoutReason.TokenRejected => $"rotate the token: put a valid token in {tokens}; the next call uses it, without a restart.",
            JiraLockoutReason.AttemptsSpent => $"put a valid token in {tokens} and check that Jira answers, sign in to Jira in a browser as {account.Username} (which resets Jira's count), then {reset ?? InMemoryReset}.",
            JiraLockoutReason.AccountLocked => $"sign in to Jira in a browser as {account.Username} and answer the CAPTCHA, or have an administrator reset the login count or change the password; then check that {tokens} holds a valid token and {reset ?? InMemoryReset}.",
            JiraLockoutReason.StoreUnavailable => "bring the Redis server back; calls resume by themselves, with no restart.",
            _ => "none needed.",
        };

        public static string Count(int failed, int max) =>
            $"{failed.ToString(CultureInfo.InvariantCulture)} of {max.ToString(CultureInfo.InvariantCulture)} failed attempts allowed between successes";
    }
}
