using System;
using Microsoft.Extensions.Logging;

namespace JiraConfigGen
{
    /// <summary>The guard's log events (source-generated, no allocation when the level is off). None carries a secret.</summary>
    internal static partial class JiraGuardLog
    {
        [LoggerMessage(EventId = 1, EventName = "TokenQuarantined", Level = LogLevel.Warning,
            Message = "Jira rejected the token {Token} of connection {Connection} for {Account} (HTTP {StatusCode}, login reason {LoginReason}); the token is quarantined and will not be sent again. {FailedAttempts} of {MaxFailedAttempts} failed attempts spent since the last success")]
        public static partial void TokenQuarantined(ILogger logger, string connection, JiraAccount account, JiraSecretReference token, int statusCode, string? loginReason, int failedAttempts, int maxFailedAttempts);

        [LoggerMessage(EventId = 2, EventName = "GuardTripped", Level = LogLevel.Error,
            Message = "The lockout guard stopped every call for {Account} (connection {Connection}): {Reason}. Fix: {Fix}")]
        public static partial void Tripped(ILogger logger, string connection, JiraAccount account, JiraLockoutReason reason, string fix);

        [LoggerMessage(EventId = 3, EventName = "GuardHealed", Level = LogLevel.Information,
            Message = "Jira accepted the token {Token} of connection {Connection} after failures; {Account} is usable again ({QuarantinedTokens} stale token(s) stay quarantined)")]
        public static partial void Healed(ILogger logger, string connection, JiraAccount account, JiraSecretReference token, int quarantinedTokens);

        [LoggerMessage(EventId = 4, EventName = "CallRefused", Level = LogLevel.Debug,
            Message = "The lockout guard refused a call of connection {Connection} for {Account}: {Reason}")]
        public static partial void Refused(ILogger logger, string connection, JiraAccount account, JiraLockoutReason reason);

        [LoggerMessage(EventId = 6, EventName = "AttemptUnanswered", Level = LogLevel.Warning,
            Message = "A request of connection {Connection} for {Account} got no answer ({Cause}: {ErrorType}): Jira may have counted it as a failed login, so the guard counts it until the next success. {FailedAttempts} of {MaxFailedAttempts} failed attempts spent since the last success")]
        public static partial void Unanswered(ILogger logger, string connection, JiraAccount account, string cause, string errorType, int failedAttempts, int maxFailedAttempts);

        [LoggerMessage(EventId = 7, EventName = "AbandonedRequestAnswered", Level = LogLevel.Debug,
            Message = "Jira answered a request of connection {Connection} after its caller had given up (HTTP {StatusCode}: {Outcome}); the answer is recorded")]
        public static partial void AbandonedAnswered(ILogger logger, string connection, int statusCode, JiraAttemptOutcome outcome);

        [LoggerMessage(EventId = 8, EventName = "GuardStoreFailed", Level = LogLevel.Error,
            Message = "The guard could not record the outcome of an abandoned request of connection {Connection} ({ErrorType})")]
        public static partial void StoreFailed(ILogger logger, string connection, string errorType);

        [LoggerMessage(EventId = 5, EventName = "Retrying", Level = LogLevel.Information,
            Message = "Jira answered {StatusCode} to connection {Connection}; retrying in {Delay} (retry {Retry} of {MaxRetries})")]
        public static partial void Retrying(ILogger logger, string connection, int statusCode, TimeSpan delay, int retry, int maxRetries);
    }
}
