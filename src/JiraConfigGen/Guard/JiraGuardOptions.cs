using System;

namespace JiraConfigGen
{
    /// <summary>How the guard trades safety for concurrency.</summary>
    public enum JiraGuardMode
    {
        /// <summary>
        /// The default. Requests with a proven token run only while every one of them could fail and still
        /// leave one failed attempt for a rotated token: with the default budget of 3, two in flight per
        /// account (fewer after failures). No revocation at any moment, under any concurrency, can make the
        /// account reach Jira's fourth failure.
        /// </summary>
        Safe = 0,

        /// <summary>
        /// Up to <see cref="JiraGuardOptions.ThroughputConcurrency"/> requests with a proven token in flight
        /// per account. The risk: if the token is revoked while that many are in flight, all of them fail
        /// at Jira, which can lock the account. Quarantine, single probes of new tokens and tripping still apply.
        /// </summary>
        Throughput = 1,
    }

    /// <summary>Options of the lockout guard.</summary>
    public sealed class JiraGuardOptions
    {
        /// <summary>
        /// Failed attempts per account that may reach Jira between two successes (default 3, one fewer
        /// than the 4 after which Jira locks the account). Lower it when your instance locks sooner.
        /// </summary>
        public int MaxFailedAttempts { get; set; } = 3;

        /// <summary>Safety or concurrency; see <see cref="JiraGuardMode"/>. Default <see cref="JiraGuardMode.Safe"/>.</summary>
        public JiraGuardMode Mode { get; set; } = JiraGuardMode.Safe;

        /// <summary>In <see cref="JiraGuardMode.Throughput"/>, the most requests with a proven token in flight per account (default 16).</summary>
        public int ThroughputConcurrency { get; set; } = 16;

        /// <summary>How many times a 429 or 503 answer is retried (default 3). Auth failures are never retried.</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The longest <c>Retry-After</c> the guard waits for (default 30 seconds); a longer one is returned to the caller.</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The wait before retrying a 429 or 503 that has no <c>Retry-After</c> (default 1 second).</summary>
        public TimeSpan DefaultRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// How long a request whose caller gave up (cancelled, or timed out: <c>HttpClient.Timeout</c>) may still run,
        /// measured from when it was sent (default 100 seconds, <c>HttpClient</c>'s default timeout). The guard does not
        /// cut off a request that Jira may already be processing: it lets it finish in the background and records
        /// Jira's real answer, so a slow Jira costs no failed attempts. A request still unanswered when this time is up
        /// is cut off and counts as a possible failed attempt (Jira may have counted it) until a later success clears
        /// it. With the Redis store, keep <c>RedisGuardOptions.LeaseDuration</c> above this.
        /// </summary>
        public TimeSpan AbandonedRequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>Throws when an option is out of range, saying which and what is allowed.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public void Validate()
        {
            if (MaxFailedAttempts < 1 || MaxFailedAttempts > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxFailedAttempts), MaxFailedAttempts, "JiraGuardOptions.MaxFailedAttempts must be from 1 to 10: one fewer than the failed logins after which your Jira locks an account (3 for Jira's 4).");
            }

            if (Mode is not (JiraGuardMode.Safe or JiraGuardMode.Throughput))
            {
                throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "JiraGuardOptions.Mode must be Safe or Throughput.");
            }

            if (ThroughputConcurrency < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ThroughputConcurrency), ThroughputConcurrency, "JiraGuardOptions.ThroughputConcurrency must be at least 1.");
            }

            if (MaxRetries < 0 || MaxRetries > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "JiraGuardOptions.MaxRetries must be from 0 to 10.");
            }

            if (MaxRetryDelay < TimeSpan.Zero || DefaultRetryDelay < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), "JiraGuardOptions retry delays must not be negative.");
            }

            if (AbandonedRequestTimeout < TimeSpan.Zero || AbandonedRequestTimeout > TimeSpan.FromHours(1))
            {
                throw new ArgumentOutOfRangeException(nameof(AbandonedRequestTimeout), AbandonedRequestTimeout, "JiraGuardOptions.AbandonedRequestTimeout must be from 0 (cut off at once when the caller gives up) to 1 hour.");
            }
        }

        /// <summary>The rules a store applies, taken from these options.</summary>
        /// <returns>The policy.</returns>
        public JiraGuardPolicy ToPolicy() =>
            new(MaxFailedAttempts, Mode == JiraGuardMode.Safe ? 0 : ThroughputConcurrency);
    }
}
