using System;

namespace JiraConfigGen.Redis
{
    /// <summary>What the guard does while Redis cannot be reached.</summary>
    public enum RedisOutageMode
    {
        /// <summary>
        /// The default: each process falls back to its own guard at its most conservative setting, logs a
        /// warning and counts <c>jiraconfiggen.guard.store_unavailable</c>. Only tokens already proven (that
        /// Redis or this process saw succeed) are sent, one request at a time per account and process, and
        /// the first failed attempt stops the account in that process; a token never seen to work is refused
        /// (reason StoreUnavailable), so stale tokens in forgotten jobs cost nothing. Failures seen meanwhile
        /// are written to Redis when it is back. The one risk left: a proven token revoked during the outage
        /// costs up to one failed attempt per process; choose <see cref="RefuseCalls"/> where more than
        /// three processes share an account and that matters more than availability.
        /// </summary>
        FallBackToLocal = 0,

        /// <summary>Calls fail with <see cref="JiraLockoutPreventedException"/> (reason StoreUnavailable) until Redis is back.</summary>
        RefuseCalls = 1,
    }

    /// <summary>Options of the Redis guard store.</summary>
    public sealed class RedisGuardOptions
    {
        /// <summary>The prefix of every key (default <c>jiraconfiggen:</c>), so a shared Redis stays tidy.</summary>
        public string KeyPrefix { get; set; } = "jiraconfiggen:";

        /// <summary>
        /// How long an in-flight slot is held without news from its process (default 2 minutes, longer than
        /// HttpClient's 100-second timeout, so a live request never outlives its lease). A process that dies
        /// mid-request gives its slot back when the lease ends; the attempt then counts as a possible failure
        /// until a later success clears it, since Jira may have counted it.
        /// </summary>
        public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>How long an account's keys live after the last call that touched them (default 24 hours).</summary>
        public TimeSpan KeyTimeToLive { get; set; } = TimeSpan.FromHours(24);

        /// <summary>
        /// The longest a waiting process waits before it asks Redis again without having been told to (default 1 second).
        /// Waiting processes are woken by a message Redis publishes when their turn may have come; this only bounds a
        /// wait should a message be lost. A waiting process that has not asked for three times this (at least
        /// 2 seconds) loses its place in the queue, so a process that dies while waiting holds nobody up for long.
        /// </summary>
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>What happens while Redis cannot be reached; see <see cref="RedisOutageMode"/>.</summary>
        public RedisOutageMode OutageMode { get; set; } = RedisOutageMode.FallBackToLocal;

        /// <summary>How long after a failed Redis call the store tries Redis again (default 1 second).</summary>
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// An optional secret shared by the fleet (32 random bytes or more, from configuration, never from
        /// Redis) that keys the token identifiers: <c>HMAC-SHA256(key, account, token)</c>. Without it, the
        /// identifier is <c>PBKDF2-SHA256</c> of the token with an account-specific salt and
        /// <see cref="TokenIdIterations"/> iterations. Either way Redis never holds a token or a fast hash of
        /// one; set a key when accounts use weak Data Center passwords instead of API tokens.
        /// </summary>
        public byte[]? TokenIdKey { get; set; }

        /// <summary>PBKDF2 iterations when no <see cref="TokenIdKey"/> is set (default 600,000, OWASP's figure for PBKDF2-SHA256); computed once per token and process.</summary>
        public int TokenIdIterations { get; set; } = 600_000;

        /// <summary>Throws when an option is out of range.</summary>
        /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
        public void Validate()
        {
            if (string.IsNullOrWhiteSpace(KeyPrefix))
            {
                throw new ArgumentOutOfRangeException(nameof(KeyPrefix), "RedisGuardOptions.KeyPrefix must not be blank: it keeps the guard's keys apart in a shared Redis.");
            }

            if (LeaseDuration < TimeSpan.FromSeconds(1) || KeyTimeToLive < LeaseDuration || PollInterval <= TimeSpan.Zero || RetryInterval < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(LeaseDuration), "RedisGuardOptions: LeaseDuration must be at least 1 second, KeyTimeToLive at least LeaseDuration, PollInterval positive and RetryInterval not negative.");
            }

            if (TokenIdKey is { Length: < 16 })
            {
                throw new ArgumentOutOfRangeException(nameof(TokenIdKey), "RedisGuardOptions.TokenIdKey must be at least 16 bytes (32 random bytes recommended).");
            }

            if (TokenIdIterations < 10_000)
            {
                throw new ArgumentOutOfRangeException(nameof(TokenIdIterations), TokenIdIterations, "RedisGuardOptions.TokenIdIterations must be at least 10,000.");
            }
        }
    }
}
