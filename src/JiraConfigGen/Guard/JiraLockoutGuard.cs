using System;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace JiraConfigGen
{
    /// <summary>
    /// The lockout guard: keeps Jira from ever seeing enough failed logins to lock an account, for any
    /// number of concurrent callers and any moment of token revocation. One instance serves every
    /// connection of an application (its state is per account, in an <see cref="IJiraGuardStore"/>);
    /// requests go through it via <see cref="JiraLockoutGuardHandler"/>.
    /// </summary>
    /// <remarks>
    /// With default options: no more than <see cref="JiraGuardOptions.MaxFailedAttempts"/> (3) failed attempts
    /// per account reach Jira between two successes; a token that failed is never sent again; a token that
    /// has never succeeded is tried by one request at a time; requests with a proven token are bounded so a
    /// revocation leaves an attempt for the rotated token; when the budget is spent or Jira reports the lock,
    /// calls fail fast with <see cref="JiraLockoutPreventedException"/>; a rotated token heals without a
    /// restart; auth failures are never retried; 429 and 503 are retried after <c>Retry-After</c>.
    /// </remarks>
    public sealed class JiraLockoutGuard
    {
        private readonly IJiraGuardStore _store;
        private readonly ConcurrentDictionary<JiraAccount, IJiraGuardAccount> _accounts = new();

        /// <summary>Creates a guard.</summary>
        /// <param name="options">Options; defaults when null. They are validated here.</param>
        /// <param name="store">Where the state lives; in this process's memory when null.</param>
        /// <param name="timeProvider">The clock for retry delays; <see cref="TimeProvider.System"/> when null.</param>
        /// <param name="loggerFactory">Where trips, quarantines and heals are logged; nowhere when null.</param>
        /// <param name="meterFactory">Creates the <c>JiraConfigGen</c> meter; a shared static meter when null.</param>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public JiraLockoutGuard(
            JiraGuardOptions? options = null,
            IJiraGuardStore? store = null,
            TimeProvider? timeProvider = null,
            ILoggerFactory? loggerFactory = null,
            IMeterFactory? meterFactory = null)
        {
            Options = options ?? new JiraGuardOptions();
            Options.Validate();
            Policy = Options.ToPolicy();
            _store = store ?? new InMemoryJiraGuardStore();
            Time = timeProvider ?? TimeProvider.System;
            Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("JiraConfigGen.LockoutGuard");
            Metrics = new JiraGuardMetrics(meterFactory);
        }

        /// <summary>The options in force.</summary>
        public JiraGuardOptions Options { get; }

        internal JiraGuardPolicy Policy { get; }

        internal TimeProvider Time { get; }

        internal ILogger Logger { get; }

        internal JiraGuardMetrics Metrics { get; }

        /// <summary>The guard's view of an account.</summary>
        /// <param name="account">The account.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>Failures counted, requests in flight, the trip reason and the quarantined tokens.</returns>
        public ValueTask<JiraGuardStatus> GetStatusAsync(JiraAccount account, CancellationToken cancellationToken = default) =>
            GetAccount(account).GetStatusAsync(cancellationToken);

        /// <summary>
        /// Lets calls through again after a person has made the account usable: signed in to Jira through
        /// the browser (which resets Jira's count) or changed the password. Quarantined tokens stay quarantined.
        /// </summary>
        /// <param name="account">The account.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>A task.</returns>
        public ValueTask ResetAsync(JiraAccount account, CancellationToken cancellationToken = default) =>
            GetAccount(account).ResetAsync(cancellationToken);

        internal IJiraGuardAccount GetAccount(JiraAccount account) => _accounts.GetOrAdd(account, a => _store.GetAccount(a));

        /// <summary>A refusal, counted, logged, and made into the exception the caller gets.</summary>
        internal JiraLockoutPreventedException Refused(JiraConnection connection, IJiraGuardAccount account, JiraAdmission refusal)
        {
            Metrics.Refused(connection.Nickname, refusal.Reason);
            JiraGuardLog.Refused(Logger, connection.Nickname, account.Account, refusal.Reason);
            return new JiraLockoutPreventedException(connection.Nickname, account.Account, connection.ApiToken, refusal.Reason, refusal.FailedAttempts, Policy.MaxFailedAttempts, account.ResetInstructions);
        }

        /// <summary>
        /// Records an outcome (never cancelled: the place in flight must be given back) and logs what changed.
        /// <paramref name="error"/> is the exception that ended an attempt without an answer; <paramref name="abandoned"/>
        /// says that its caller had given up before it ended.
        /// </summary>
        internal async ValueTask<JiraGuardStatus> CompleteAsync(JiraConnection connection, IJiraGuardAccount account, JiraAdmission admission, JiraAttemptOutcome outcome, int statusCode, string? loginReason, Exception? error = null, bool abandoned = false)
        {
            JiraGuardStatus status = await account.CompleteAsync(admission, outcome, Policy, CancellationToken.None).ConfigureAwait(false);
            switch (outcome)
            {
                case JiraAttemptOutcome.Rejected:
                    Metrics.AuthFailure(connection.Nickname, outcome);
                    JiraGuardLog.TokenQuarantined(Logger, connection.Nickname, account.Account, connection.ApiToken, statusCode, loginReason, status.FailedAttempts, Policy.MaxFailedAttempts);
                    LogTripIfSpent(connection, account, status);
                    break;
                case JiraAttemptOutcome.Unanswered:
                    string cause = abandoned ? "abandoned" : "transport";
                    Metrics.Unanswered(connection.Nickname, cause);
                    JiraGuardLog.Unanswered(Logger, connection.Nickname, account.Account, cause, error?.GetType().Name ?? "none", status.FailedAttempts, Policy.MaxFailedAttempts);
                    LogTripIfSpent(connection, account, status);
                    break;
                case JiraAttemptOutcome.Locked:
                    Metrics.AuthFailure(connection.Nickname, outcome);
                    JiraGuardLog.Tripped(Logger, connection.Nickname, account.Account, JiraLockoutReason.AccountLocked, JiraGuardMessages.Fix(account.Account, connection.ApiToken, JiraLockoutReason.AccountLocked, account.ResetInstructions));
                    break;
                case JiraAttemptOutcome.Authenticated when admission.IsProbe && admission.FailedAttempts > 0 && status.QuarantinedTokens > 0:
                    JiraGuardLog.Healed(Logger, connection.Nickname, account.Account, connection.ApiToken, status.QuarantinedTokens);
                    break;
            }

            if (abandoned && outcome != JiraAttemptOutcome.Unanswered)
            {
                JiraGuardLog.AbandonedAnswered(Logger, connection.Nickname, statusCode, outcome);
            }

            return status;
        }

        private void LogTripIfSpent(JiraConnection connection, IJiraGuardAccount account, JiraGuardStatus status)
        {
            if (status.Tripped == JiraLockoutReason.AttemptsSpent && status.FailedAttempts == Policy.MaxFailedAttempts)
            {
                JiraGuardLog.Tripped(Logger, connection.Nickname, account.Account, status.Tripped, JiraGuardMessages.Fix(account.Account, connection.ApiToken, status.Tripped, account.ResetInstructions));
            }
        }
    }
}
