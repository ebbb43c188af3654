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

        /// <summary>This store's id among the fleet's processes: the start of its places' ids, and of its own channels' names.</summary>
        internal string ProcessId { get; } = Guid.NewGuid().ToString("N").Substring(0, 12);

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
        internal async Task<(bool Ok, RedisResult? Result)> TryRedisAsync(string script, RedisKey[] keys, RedisValue[] values, bool fireAndForget = false)
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
        private async Task SubscribeAsync(string channel, Action<string> heard, Action failed)
        {
            try
            {
                IConnectionMultiplexer connection = await _connection.Value.ConfigureAwait(false);
                await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, message) => heard(message.ToString())).ConfigureAwait(false);
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
    }
}
