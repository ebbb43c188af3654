using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace JiraConfigGen.Redis
{
    /// <summary>
    /// The lockout guard's state in Redis, shared by every process of a fleet: the failed-attempt budget,
    /// the in-flight slots (leases that expire), the single probe of an unproven token, and the proven and
    /// quarantined tokens of each account. Every decision is one atomic Lua script.
    /// </summary>
    /// <remarks>
    /// Keys are <c>{prefix}{account-hash}:state|failures|inflight|proven|quarantined</c> (one hash slot per
    /// account, for Redis Cluster) and expire after <see cref="RedisGuardOptions.KeyTimeToLive"/> without use.
    /// They hold counters, lease ids, ticks and token identifiers: never a token, a password, or a fast hash
    /// of one. The success path costs one awaited round trip: the admission; its completion is pipelined.
    /// </remarks>
    public sealed partial class RedisJiraGuardStore : IJiraGuardStore, IDisposable
    {
        private static readonly JiraGuardPolicy OutagePolicy = new(maxFailedAttempts: 1, throughputConcurrency: 0);

        private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
        private readonly bool _ownsConnection;
        private readonly ConcurrentDictionary<JiraAccount, RedisAccount> _accounts = new();
        private readonly InMemoryJiraGuardStore _fallback = new();
        private readonly ILogger _logger;
        private readonly Counter<long> _unavailable;
        private readonly TimeProvider _time;
        private long _downSince = -1;

        /// <summary>A store over an existing connection (the application keeps owning it).</summary>
        /// <param name="connection">The Redis connection.</param>
        /// <param name="options">Options; defaults when null.</param>
        /// <param name="loggerFactory">Where outages are logged.</param>
        /// <param name="meterFactory">Creates the <c>JiraConfigGen</c> meter; a shared static meter when null.</param>
        /// <param name="timeProvider">The clock for retrying Redis after a failure.</param>
        public RedisJiraGuardStore(IConnectionMultiplexer connection, RedisGuardOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
            : this(Ready(connection ?? throw new ArgumentNullException(nameof(connection))), owned: false, options, loggerFactory, meterFactory, timeProvider)
        {
        }

        /// <summary>A store that connects with <paramref name="configuration"/> (a StackExchange.Redis connection string) and owns the connection.</summary>
        /// <param name="configuration">For example <c>localhost:6379</c>.</param>
        /// <param name="options">Options; defaults when null.</param>
        /// <param name="loggerFactory">Where outages are logged.</param>
        /// <param name="meterFactory">Creates the <c>JiraConfigGen</c> meter; a shared static meter when null.</param>
        /// <param name="timeProvider">The clock for retrying Redis after a failure.</param>
        /// <returns>The store; dispose it to close the connection.</returns>
        public static RedisJiraGuardStore Connect(string configuration, RedisGuardOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        {
            ConfigurationOptions parsed = ConfigurationOptions.Parse(configuration ?? throw new ArgumentNullException(nameof(configuration)));
            parsed.AbortOnConnectFail = false; // start even while Redis is down: the outage mode applies
            parsed.BacklogPolicy = BacklogPolicy.FailFast; // while it is down, fail at once instead of queueing

            // Connected on first use, asynchronously: a synchronous connect under a burst of first calls would
            // block the thread pool that the connection itself needs.
            var connection = new Lazy<Task<IConnectionMultiplexer>>(async () => await ConnectionMultiplexer.ConnectAsync(parsed).ConfigureAwait(false));
            return new RedisJiraGuardStore(connection, owned: true, options, loggerFactory, meterFactory, timeProvider);
        }

        private static Lazy<Task<IConnectionMultiplexer>> Ready(IConnectionMultiplexer connection)
        {
            Task<IConnectionMultiplexer> ready = Task.FromResult(connection);
            return new Lazy<Task<IConnectionMultiplexer>>(() => ready);
        }

        private RedisJiraGuardStore(Lazy<Task<IConnectionMultiplexer>> connection, bool owned, RedisGuardOptions? options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, TimeProvider? timeProvider)
        {
            Options = options ?? new RedisGuardOptions();
            Options.Validate();
            _connection = connection;
            _ownsConnection = owned;
            _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("JiraConfigGen.RedisGuardStore");
            _time = timeProvider ?? TimeProvider.System;
            Meter meter = meterFactory?.Create("JiraConfigGen") ?? SharedMeter;
            _unavailable = meter.CreateCounter<long>("jiraconfiggen.guard.store_unavailable", "{call}", "Guard decisions made while Redis could not be reached, by what the store did (fallback, refused).");
        }

        /// <summary>The options in force.</summary>
        public RedisGuardOptions Options { get; }

        /// <summary>Whether the last call to Redis failed and the outage mode is in force.</summary>
        public bool IsRedisUnavailable => Interlocked.Read(ref _downSince) >= 0;

        private static Meter SharedMeter { get; } = new("JiraConfigGen");

        /// <inheritdoc />
        public IJiraGuardAccount GetAccount(JiraAccount account) => _accounts.GetOrAdd(account, a => new RedisAccount(this, a));

        /// <inheritdoc />
        public void Dispose()
        {
            if (_ownsConnection && _connection.IsValueCreated && _connection.Value.Status == TaskStatus.RanToCompletion)
            {
                _connection.Value.Result.Dispose();
            }
        }

        /// <summary>The key prefix of an account: <c>{prefix}{hash}:</c>; the hash hides the user name and keeps an account's keys in one slot.</summary>
        internal string KeyPrefixFor(JiraAccount account)
        {
#if NET8_0_OR_GREATER
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(account.Key));
#else
            using var sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(account.Key));
#endif
            var hex = new StringBuilder(32);
            for (int i = 0; i < 12; i++)
            {
                hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return Options.KeyPrefix + "{" + hex + "}:";
        }

        /// <summary>
        /// Runs a script; false when Redis is down (or was, less than RetryInterval ago), so the caller uses
        /// the outage mode. A fire-and-forget call has no result.
        /// </summary>
        private async Task<(bool Ok, RedisResult? Result)> TryRedisAsync(string script, RedisKey[] keys, RedisValue[] values, bool fireAndForget = false)
        {
            long downSince = Interlocked.Read(ref _downSince);
            if (downSince >= 0 && _time.GetElapsedTime(downSince) < Options.RetryInterval)
            {
                return (false, null);
            }

            try
            {
                IConnectionMultiplexer connection = await _connection.Value.ConfigureAwait(false);
                RedisResult result = await connection.GetDatabase().ScriptEvaluateAsync(script, keys, values, fireAndForget ? CommandFlags.FireAndForget : CommandFlags.None).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _downSince, -1) >= 0)
                {
                    Log.Recovered(_logger);
                }

                return (true, result);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                if (Interlocked.Exchange(ref _downSince, _time.GetTimestamp()) < 0)
                {
                    Log.Unavailable(_logger, Options.OutageMode, e.GetType().Name, e.Message);
                }

                return (false, null);
            }
        }

        /// <summary>Subscribes to an account's channel; <paramref name="failed"/> runs when that cannot be done now (the next wait tries again).</summary>
        private async Task SubscribeAsync(string channel, Action changed, Action failed)
        {
            try
            {
                IConnectionMultiplexer connection = await _connection.Value.ConfigureAwait(false);
                await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, _) => changed()).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                failed();
            }
        }

        private void CountUnavailable(bool refused) =>
            _unavailable.Add(1, new KeyValuePair<string, object?>("jira.store_mode", refused ? "refused" : "fallback"));

        private static partial class Log
        {
            [LoggerMessage(EventId = 10, EventName = "GuardStoreUnavailable", Level = LogLevel.Warning,
                Message = "Redis cannot be reached ({ErrorType}: {Error}); the lockout guard now runs in outage mode {Mode} until it is back")]
            public static partial void Unavailable(ILogger logger, RedisOutageMode mode, string errorType, string error);

            [LoggerMessage(EventId = 11, EventName = "GuardStoreRecovered", Level = LogLevel.Information,
                Message = "Redis is reachable again; the lockout guard shares its state through it once more")]
            public static partial void Recovered(ILogger logger);
        }

        /// <summary>One account: Redis when it answers, the outage mode when it does not.</summary>
        private sealed class RedisAccount : IJiraGuardAccount
        {
            private readonly RedisJiraGuardStore _store;
            private readonly RedisKey[] _keys;
            private readonly string _channel;
            private readonly byte[] _salt;
            private readonly IJiraGuardAccount _local;
            private readonly ConcurrentQueue<(string TokenId, JiraAttemptOutcome Outcome)> _toReplay = new();
            private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokenIds = new(StringComparer.Ordinal);
            private readonly ConcurrentDictionary<string, bool> _provenHere = new(StringComparer.Ordinal);
            private TaskCompletionSource<bool> _localChange = NewSignal();
            private int _subscribed;

            public RedisAccount(RedisJiraGuardStore store, JiraAccount account)
            {
                _store = store;
                Account = account;
                string prefix = store.KeyPrefixFor(account);
                _keys = new RedisKey[] { prefix + "state", prefix + "failures", prefix + "inflight", prefix + "proven", prefix + "quarantined", prefix + "queue", prefix + "waiting" };
                _channel = prefix + "changed";
                _salt = Encoding.UTF8.GetBytes("JiraConfigGen/" + account.Key);
                _local = store._fallback.GetAccount(account);
                ResetInstructions =
                    $"clear the trip for the whole fleet: against the guard's Redis, run DEL \"{prefix}failures\" and then HSET \"{prefix}state\" tripped 0 " +
                    "(redis-cli, with your server's address and credentials), or call JiraLockoutGuard.ResetAsync in any process of the fleet; restarting processes does not clear it, the state is in Redis";
            }

            public JiraAccount Account { get; }

            public string ResetInstructions { get; }

            private RedisGuardOptions Options => _store.Options;

            private long Ttl => (long)Options.KeyTimeToLive.TotalSeconds;

            /// <summary>How long a waiting caller keeps its place in the queue without asking again.</summary>
            private long WaiterMilliseconds => (long)Math.Max(2_000, 10 * Options.PollInterval.TotalMilliseconds);

            /// <summary>
            /// The same identifier in every process (so quarantine is fleet-wide) that reveals nothing of the token.
            /// The slow derivation runs once per token and process: later calls find it by the local guard's
            /// cheap per-process identifier, which means nothing outside this process.
            /// </summary>
            public async ValueTask<string> IdentifyTokenAsync(JiraSecret secret, CancellationToken cancellationToken)
            {
                string local = await _local.IdentifyTokenAsync(secret, cancellationToken).ConfigureAwait(false);
                if (!_tokenIds.TryGetValue(local, out Lazy<Task<string>>? id))
                {
                    if (_tokenIds.Count >= 16)
                    {
                        _tokenIds.Clear(); // rotations are rare: a handful of tokens per account at most
                    }

                    // One derivation per token, shared by a burst of first calls, off their threads.
                    id = _tokenIds.GetOrAdd(local, _ => new Lazy<Task<string>>(() => Task.Run(() => DeriveTokenId(secret))));
                }

                return await id.Value.ConfigureAwait(false);
            }

            private string DeriveTokenId(JiraSecret secret)
            {
                byte[] token = Encoding.UTF8.GetBytes(secret.RevealValue());
                byte[] id;
                if (Options.TokenIdKey is { } key)
                {
                    using var hmac = new HMACSHA256(key);
                    byte[] input = new byte[_salt.Length + token.Length];
                    Buffer.BlockCopy(_salt, 0, input, 0, _salt.Length);
                    Buffer.BlockCopy(token, 0, input, _salt.Length, token.Length);
                    id = hmac.ComputeHash(input);
                }
                else
                {
#if NET8_0_OR_GREATER
                    id = Rfc2898DeriveBytes.Pbkdf2(token, _salt, Options.TokenIdIterations, HashAlgorithmName.SHA256, 32);
#else
                    id = Pbkdf2.DeriveSha256(token, _salt, Options.TokenIdIterations);
#endif
                }

                return Convert.ToBase64String(id);
            }

            public async ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, JiraAdmission? waiting, CancellationToken cancellationToken)
            {
                if (!_toReplay.IsEmpty)
                {
                    await ReplayOutageFailuresAsync(policy).ConfigureAwait(false);
                }

                string lease = Guid.NewGuid().ToString("N");
                (bool ok, RedisResult? result) = await _store.TryRedisAsync(
                    RedisScripts.Admit,
                    _keys,
                    new RedisValue[]
                    {
                        tokenId, lease, (long)Options.LeaseDuration.TotalMilliseconds, policy.MaxFailedAttempts, policy.ThroughputConcurrency, Ttl,
                        waiting?.Lease ?? string.Empty, WaiterMilliseconds, _channel,
                    }).ConfigureAwait(false);
                if (!ok)
                {
                    return await OutageAdmitAsync(tokenId, cancellationToken).ConfigureAwait(false);
                }

                var r = (RedisResult[])result!;
                int decision = (int)r[0];
                int failures = (int)r[2];
                if ((int)r[4] == 1)
                {
                    // Proven in the fleet, as Redis says even to a caller that only waits: usable during an outage.
                    _provenHere.TryAdd(tokenId, true);
                }

                return decision switch
                {
                    0 => new JiraAdmission(JiraAdmissionDecision.Proceed, JiraLockoutReason.None, tokenId, (long)r[3], (int)r[1] == 1, failures, lease),
                    1 => new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, tokenId, (long)r[3], false, failures, (string?)r[5]),
                    _ => Refused(tokenId, (JiraLockoutReason)(int)r[1], failures),
                };
            }

            private JiraAdmission Refused(string tokenId, JiraLockoutReason reason, int failures)
            {
                if (reason == JiraLockoutReason.TokenRejected)
                {
                    _provenHere.TryRemove(tokenId, out _);
                }

                return new JiraAdmission(JiraAdmissionDecision.Refuse, reason, tokenId, 0, false, failures);
            }

            public async ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken)
            {
                if (outcome == JiraAttemptOutcome.Authenticated && admission.IsProbe)
                {
                    _provenHere[admission.TokenId] = true;
                }
                else if (outcome == JiraAttemptOutcome.Rejected)
                {
                    _provenHere.TryRemove(admission.TokenId, out _);
                }

                bool counts = outcome is JiraAttemptOutcome.Rejected or JiraAttemptOutcome.Locked or JiraAttemptOutcome.Unanswered;
                try
                {
                    if (admission.Lease is null)
                    {
                        // Admitted in outage mode: its outcome belongs to the local guard, and what counts to Redis later.
                        if (counts)
                        {
                            _toReplay.Enqueue((admission.TokenId, outcome));
                        }

                        return await _local.CompleteAsync(admission, outcome, OutagePolicy, cancellationToken).ConfigureAwait(false);
                    }

                    // A success is pipelined (the one awaited round trip was the admission). Everything that can
                    // spend the budget is awaited, so the fleet sees it before this call returns.
                    bool pipelined = outcome == JiraAttemptOutcome.Authenticated && !admission.IsProbe;
                    (bool ok, RedisResult? result) = await _store.TryRedisAsync(
                        RedisScripts.Complete,
                        _keys,
                        new RedisValue[] { admission.TokenId, admission.Lease, (int)outcome, admission.Ticket, policy.MaxFailedAttempts, Ttl, _channel },
                        fireAndForget: pipelined).ConfigureAwait(false);
                    if (!ok)
                    {
                        if (counts)
                        {
                            // Redis missed it: the local guard counts it now, and Redis hears of it when it is back.
                            _toReplay.Enqueue((admission.TokenId, outcome));
                            await CountLocallyAsync(admission.TokenId, outcome, cancellationToken).ConfigureAwait(false);
                        }

                        bool failed = outcome is JiraAttemptOutcome.Rejected or JiraAttemptOutcome.Unanswered;
                        return new JiraGuardStatus(admission.FailedAttempts + (failed ? 1 : 0), 0, outcome == JiraAttemptOutcome.Locked ? JiraLockoutReason.AccountLocked : JiraLockoutReason.None, 0, isStoreUnavailable: true);
                    }

                    return pipelined
                        ? new JiraGuardStatus(admission.FailedAttempts, 0, JiraLockoutReason.None, 0)
                        : ToStatus(result!);
                }
                finally
                {
                    SignalLocalChange();
                }
            }

            public async Task WaitForChangeAsync(JiraAdmission waiting, TimeSpan maxWait, CancellationToken cancellationToken)
            {
                // Changes in this process wake its waiters at once, changes elsewhere through Redis's channel; the
                // poll only bounds the wait should a message be lost.
                EnsureSubscribed();
                Task local = Volatile.Read(ref _localChange).Task;
                TimeSpan poll = maxWait < Options.PollInterval ? maxWait : Options.PollInterval;
                await Task.WhenAny(local, Task.Delay(poll, cancellationToken)).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    if (waiting.Lease is { } waiter)
                    {
                        // The caller gave up: its place goes to the next one (pipelined; nobody waits for it).
                        _ = _store.TryRedisAsync(RedisScripts.Leave, _keys, new RedisValue[] { waiter, _channel }, fireAndForget: true);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            public async ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken)
            {
                (bool ok, RedisResult? result) = await _store.TryRedisAsync(RedisScripts.Status, _keys, new RedisValue[] { int.MaxValue, _channel }).ConfigureAwait(false);
                if (ok)
                {
                    return ToStatus(result!);
                }

                JiraGuardStatus local = await _local.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                return new JiraGuardStatus(local.FailedAttempts, local.InFlight, local.Tripped, local.QuarantinedTokens, isStoreUnavailable: true);
            }

            public async ValueTask ResetAsync(CancellationToken cancellationToken)
            {
                await _local.ResetAsync(cancellationToken).ConfigureAwait(false);
                (bool ok, _) = await _store.TryRedisAsync(RedisScripts.Reset, _keys, new RedisValue[] { Ttl, _channel }).ConfigureAwait(false);
                if (!ok)
                {
                    throw new InvalidOperationException("The guard could not be reset in Redis, which cannot be reached; try again when it is back.");
                }

                SignalLocalChange();
            }

            /// <summary>Listens, once, for the changes Redis publishes on this account; a failure leaves waiting to the poll.</summary>
            private void EnsureSubscribed()
            {
                if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
                {
                    _ = _store.SubscribeAsync(_channel, SignalLocalChange, () => Volatile.Write(ref _subscribed, 0));
                }
            }

            private async ValueTask<JiraAdmission> OutageAdmitAsync(string tokenId, CancellationToken cancellationToken)
            {
                // Without the fleet's count, a token that has never worked is not tried: across many processes,
                // one try each could be the failures that lock the account.
                bool refuse = Options.OutageMode == RedisOutageMode.RefuseCalls || !_provenHere.ContainsKey(tokenId);
                _store.CountUnavailable(refuse);
                if (refuse)
                {
                    return new JiraAdmission(JiraAdmissionDecision.Refuse, JiraLockoutReason.StoreUnavailable, tokenId, 0, false, 0);
                }

                // A token proven before, on the most conservative local guard: one request at a time in this
                // process, and the first failure stops the account here.
                JiraAdmission local = await _local.TryAdmitAsync(tokenId, OutagePolicy, null, cancellationToken).ConfigureAwait(false);
                return new JiraAdmission(local.Decision, local.Reason, tokenId, local.Ticket, local.IsProbe, local.FailedAttempts, lease: null);
            }

            /// <summary>Writes what was counted while Redis was down into Redis, so the fleet counts it.</summary>
            private async Task ReplayOutageFailuresAsync(JiraGuardPolicy policy)
            {
                bool replayed = false;
                while (_toReplay.TryPeek(out (string TokenId, JiraAttemptOutcome Outcome) missed))
                {
                    (bool ok, _) = await _store.TryRedisAsync(
                        RedisScripts.Complete,
                        _keys,
                        new RedisValue[] { missed.TokenId, "replay:" + Guid.NewGuid().ToString("N"), (int)missed.Outcome, 0, policy.MaxFailedAttempts, Ttl, _channel }).ConfigureAwait(false);
                    if (!ok)
                    {
                        return;
                    }

                    _toReplay.TryDequeue(out _);
                    replayed = true;
                }

                if (replayed)
                {
                    // Redis now counts them for the whole fleet; the local count would only outlive the outage.
                    await _local.ResetAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            /// <summary>Counts, in the local guard, an outcome Redis could not record: the token and the account stop here too.</summary>
            private async Task CountLocallyAsync(string tokenId, JiraAttemptOutcome outcome, CancellationToken cancellationToken)
            {
                JiraAdmission slot = await _local.TryAdmitAsync(tokenId, OutagePolicy, null, cancellationToken).ConfigureAwait(false);
                if (slot.Decision == JiraAdmissionDecision.Proceed)
                {
                    await _local.CompleteAsync(slot, outcome, OutagePolicy, cancellationToken).ConfigureAwait(false);
                }
            }

            private void SignalLocalChange() => Interlocked.Exchange(ref _localChange, NewSignal()).TrySetResult(true);

            private static JiraGuardStatus ToStatus(RedisResult result)
            {
                var r = (RedisResult[])result!;
                return new JiraGuardStatus((int)r[0], (int)r[1], (JiraLockoutReason)(int)r[2], (int)r[3]);
            }

            private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
