using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JiraConfigGen
{
    /// <summary>
    /// The guard's instruments, on the meter <c>JiraConfigGen</c>. Tags carry the connection's nickname
    /// and the reason, never a token or a user name.
    /// </summary>
    internal sealed class JiraGuardMetrics
    {
        public const string MeterName = "JiraConfigGen";

        private static readonly Meter SharedMeter = new(MeterName, typeof(JiraGuardMetrics).Assembly.GetName().Version?.ToString());

        private readonly Counter<long> _authFailures;
        private readonly Counter<long> _refused;
        private readonly Counter<long> _retries;
        private readonly Counter<long> _unanswered;

        public JiraGuardMetrics(IMeterFactory? meterFactory)
        {
            Meter meter = meterFactory?.Create(MeterName) ?? SharedMeter;
            _authFailures = meter.CreateCounter<long>("jiraconfiggen.guard.auth_failures", "{failure}", "Auth failures and lock answers Jira sent, by connection and kind (rejected, locked).");
            _refused = meter.CreateCounter<long>("jiraconfiggen.guard.refused_calls", "{call}", "Calls the lockout guard did not send, by connection and reason.");
            _retries = meter.CreateCounter<long>("jiraconfiggen.guard.retries", "{retry}", "429 and 503 answers retried after Retry-After, by connection and status.");
            _unanswered = meter.CreateCounter<long>("jiraconfiggen.guard.unanswered_attempts", "{attempt}", "Attempts whose answer was never read (the transport failed after sending, or the request was cut off after its caller gave up), each counted as a possible failed login, by connection and cause.");
        }

        public void Unanswered(string connection, string cause) =>
            _unanswered.Add(1, new KeyValuePair<string, object?>("jira.connection", connection), new KeyValuePair<string, object?>("jira.cause", cause));

        public void AuthFailure(string connection, JiraAttemptOutcome outcome) =>
            _authFailures.Add(1, new KeyValuePair<string, object?>("jira.connection", connection), new KeyValuePair<string, object?>("jira.kind", outcome == JiraAttemptOutcome.Locked ? "locked" : "rejected"));

        public void Refused(string connection, JiraLockoutReason reason) =>
            _refused.Add(1, new KeyValuePair<string, object?>("jira.connection", connection), new KeyValuePair<string, object?>("jira.reason", ReasonTag(reason)));

        public void Retry(string connection, int statusCode) =>
            _retries.Add(1, new KeyValuePair<string, object?>("jira.connection", connection), new KeyValuePair<string, object?>("http.response.status_code", statusCode));

        private static string ReasonTag(JiraLockoutReason reason) => reason switch
        {
            JiraLockoutReason.TokenRejected => "token_rejected",
            JiraLockoutReason.AttemptsSpent => "attempts_spent",
            JiraLockoutReason.AccountLocked => "account_locked",
            JiraLockoutReason.StoreUnavailable => "store_unavailable",
            _ => "none",
        };
    }
}
