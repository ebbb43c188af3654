using System;

namespace JiraConfigGen
{
    /// <summary>Why the guard refuses calls for an account, or refused a call.</summary>
    public enum JiraLockoutReason
    {
        /// <summary>Nothing: the account is healthy.</summary>
        None = 0,

        /// <summary>Jira rejected this token; it is quarantined and never sent again. Rotating it heals.</summary>
        TokenRejected = 1,

        /// <summary>The failed-attempt budget is spent: one more failure could lock the account.</summary>
        AttemptsSpent = 2,

        /// <summary>Jira reports the account locked (CAPTCHA, <c>AUTHENTICATION_DENIED</c>).</summary>
        AccountLocked = 3,

        /// <summary>The shared guard store (Redis) cannot be reached, and the call is not one its outage mode lets through.</summary>
        StoreUnavailable = 4,
    }

    /// <summary>What one attempt told the guard about the token and the account.</summary>
    public enum JiraAttemptOutcome
    {
        /// <summary>Jira accepted the token (any answer that is not an auth failure, a 429/503, a 5xx or a transport error).</summary>
        Authenticated = 0,

        /// <summary>Jira rejected the token: 401, or <c>X-Seraph-LoginReason: AUTHENTICATED_FAILED</c>. Counts as a failed attempt.</summary>
        Rejected = 1,

        /// <summary>Jira reports the account locked: <c>AUTHENTICATION_DENIED</c> or <c>X-Authentication-Denied-Reason</c>.</summary>
        Locked = 2,

        /// <summary>
        /// Nothing learnt, and nothing Jira could have counted: an answer that is none of the above (429, 503,
        /// another 5xx), or a request that never left (refused before sending, a connection that could not be
        /// made). Frees the attempt's place.
        /// </summary>
        Inconclusive = 3,

        /// <summary>
        /// No answer was read although the request may have reached Jira: the transport failed after sending,
        /// or the request was cut off after its caller gave up (<see cref="JiraGuardOptions.AbandonedRequestTimeout"/>).
        /// Jira may have counted it as a failed login, so it counts as a failed attempt until a later success
        /// clears it; the token is not quarantined (nothing says it is wrong).
        /// </summary>
        Unanswered = 4,
    }

    /// <summary>What a store decided about a request.</summary>
    public enum JiraAdmissionDecision
    {
        /// <summary>Send it.</summary>
        Proceed = 0,

        /// <summary>Not now: the store has queued the caller (first come, first served); <see cref="IJiraGuardAccount.WaitAsync"/> gives its turn.</summary>
        Wait = 1,

        /// <summary>Never with this token (or not until a reset); <see cref="JiraAdmission.Reason"/> says why.</summary>
        Refuse = 2,
    }

    /// <summary>
    /// The rules of a guard store, from <see cref="JiraGuardOptions"/>. With F counted failures and I
    /// requests in flight on the account, a request is admitted when:
    /// <list type="bullet">
    /// <item>the account is not tripped and its token is not quarantined; and</item>
    /// <item>its token is proven (has succeeded), and in safe mode F + I + 1 &lt;= max - 1 (one attempt kept in
    /// reserve for a rotated token; when max is 1, F + I + 1 &lt;= 1), or in throughput mode I &lt; concurrency; or</item>
    /// <item>as a probe, one at a time: no other probe is in flight on the account and F + I + 1 &lt;= max. Unproven
    /// tokens are always probed; a proven token is too when nothing is in flight and only the reserved attempt
    /// is left, so that it can still reset the count instead of waiting for ever.</item>
    /// </list>
    /// A failure is counted, its token quarantined, and at max failures the account trips; an unanswered attempt
    /// is counted the same way, without quarantining its token. A success proves its
    /// token and drops the failures that completed before it was sent (Jira resets its count on a success;
    /// failures that may have reached Jira after that reset stay counted); a tripped-by-budget account whose
    /// count falls below max heals. A locked answer trips the account until a reset.
    /// </summary>
    public readonly struct JiraGuardPolicy : IEquatable<JiraGuardPolicy>
    {
        /// <summary>Creates a policy.</summary>
        /// <param name="maxFailedAttempts">Failed attempts allowed between two successes.</param>
        /// <param name="throughputConcurrency">0 for safe mode; otherwise the in-flight limit for proven tokens.</param>
        public JiraGuardPolicy(int maxFailedAttempts, int throughputConcurrency)
        {
            MaxFailedAttempts = maxFailedAttempts;
            ThroughputConcurrency = throughputConcurrency;
        }

        /// <summary>Failed attempts allowed between two successes.</summary>
        public int MaxFailedAttempts { get; }

        /// <summary>0 in safe mode; otherwise the in-flight limit for proven tokens.</summary>
        public int ThroughputConcurrency { get; }

        /// <summary>Whether a request with a proven token may start now.</summary>
        /// <param name="failures">Failures counted on the account.</param>
        /// <param name="inFlight">Requests in flight on the account.</param>
        /// <returns>True to admit.</returns>
        public bool AdmitsProven(int failures, int inFlight) =>
            ThroughputConcurrency > 0
                ? inFlight < ThroughputConcurrency
                : failures + inFlight + 1 <= Math.Max(1, MaxFailedAttempts - 1);

        /// <summary>Whether a probe of an unproven token may start now (no other probe in flight).</summary>
        /// <param name="failures">Failures counted on the account.</param>
        /// <param name="inFlight">Requests in flight on the account.</param>
        /// <returns>True to admit.</returns>
        public bool AdmitsProbe(int failures, int inFlight) => failures + inFlight + 1 <= MaxFailedAttempts;

        /// <inheritdoc />
        public bool Equals(JiraGuardPolicy other) => MaxFailedAttempts == other.MaxFailedAttempts && ThroughputConcurrency == other.ThroughputConcurrency;

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is JiraGuardPolicy other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => (MaxFailedAttempts * 397) ^ ThroughputConcurrency;

        /// <summary>Compares two policies.</summary>
        /// <param name="left">One.</param>
        /// <param name="right">The other.</param>
        /// <returns>Whether they are equal.</returns>
        public static bool operator ==(JiraGuardPolicy left, JiraGuardPolicy right) => left.Equals(right);

        /// <summary>Compares two policies.</summary>
        /// <param name="left">One.</param>
        /// <param name="right">The other.</param>
        /// <returns>Whether they differ.</returns>
        public static bool operator !=(JiraGuardPolicy left, JiraGuardPolicy right) => !left.Equals(right);
    }

    /// <summary>A store's answer to a request for admission; when it proceeds, the lease to complete.</summary>
    public readonly struct JiraAdmission
    {
        /// <summary>Creates an admission.</summary>
        /// <param name="decision">Proceed, wait or refuse.</param>
        /// <param name="reason">Why it was refused.</param>
        /// <param name="tokenId">The token's identifier.</param>
        /// <param name="ticket">The store's number for this attempt (its send time on the account's logical clock).</param>
        /// <param name="isProbe">Whether this attempt is the single probe of an unproven token.</param>
        /// <param name="failedAttempts">Failures counted when it was decided.</param>
        /// <param name="lease">A store-specific handle, e.g. a lease id that expires.</param>
        /// <param name="place">For <see cref="JiraAdmissionDecision.Wait"/>: the store's handle on the caller's place in its queue.</param>
        public JiraAdmission(JiraAdmissionDecision decision, JiraLockoutReason reason, string tokenId, long ticket, bool isProbe, int failedAttempts, string? lease = null, object? place = null)
        {
            Decision = decision;
            Reason = reason;
            TokenId = tokenId;
            Ticket = ticket;
            IsProbe = isProbe;
            FailedAttempts = failedAttempts;
            Lease = lease;
            Place = place;
        }

        /// <summary>Proceed, wait or refuse.</summary>
        public JiraAdmissionDecision Decision { get; }

        /// <summary>Why it was refused.</summary>
        public JiraLockoutReason Reason { get; }

        /// <summary>The token's identifier (never the token).</summary>
        public string TokenId { get; }

        /// <summary>The store's number for this attempt.</summary>
        public long Ticket { get; }

        /// <summary>Whether this attempt is the single probe of an unproven token.</summary>
        public bool IsProbe { get; }

        /// <summary>Failures counted when it was decided.</summary>
        public int FailedAttempts { get; }

        /// <summary>A store-specific handle, e.g. a lease id that expires.</summary>
        public string? Lease { get; }

        /// <summary>For <see cref="JiraAdmissionDecision.Wait"/>: the store's handle on the caller's place in its queue.</summary>
        public object? Place { get; }
    }

    /// <summary>A snapshot of one account's guard state.</summary>
    public readonly struct JiraGuardStatus
    {
        /// <summary>Creates a snapshot.</summary>
        /// <param name="failedAttempts">Failures counted since the last success.</param>
        /// <param name="inFlight">Requests in flight.</param>
        /// <param name="tripped">Why the account is tripped, or None.</param>
        /// <param name="quarantinedTokens">How many tokens are quarantined.</param>
        /// <param name="isStoreUnavailable">Whether a shared store could not be reached, so this is one process's view.</param>
        public JiraGuardStatus(int failedAttempts, int inFlight, JiraLockoutReason tripped, int quarantinedTokens, bool isStoreUnavailable = false)
        {
            FailedAttempts = failedAttempts;
            InFlight = inFlight;
            Tripped = tripped;
            QuarantinedTokens = quarantinedTokens;
            IsStoreUnavailable = isStoreUnavailable;
        }

        /// <summary>Failures counted since the last success.</summary>
        public int FailedAttempts { get; }

        /// <summary>Requests in flight.</summary>
        public int InFlight { get; }

        /// <summary>Why the account is tripped (<see cref="JiraLockoutReason.AttemptsSpent"/> or <see cref="JiraLockoutReason.AccountLocked"/>), or <see cref="JiraLockoutReason.None"/>.</summary>
        public JiraLockoutReason Tripped { get; }

        /// <summary>How many tokens are quarantined.</summary>
        public int QuarantinedTokens { get; }

        /// <summary>
        /// Whether the shared store (Redis) could not be reached: the counts are then this process's own, and calls
        /// follow the store's outage mode.
        /// </summary>
        public bool IsStoreUnavailable { get; }

        /// <inheritdoc />
        public override string ToString() =>
            $"{FailedAttempts} failed, {InFlight} in flight, {QuarantinedTokens} quarantined, tripped: {Tripped}" + (IsStoreUnavailable ? " (shared store unavailable: this process's view)" : string.Empty);
    }
}
