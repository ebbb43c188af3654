namespace JiraConfigGen.Redis
{
    /// <summary>
    /// The guard's rules (see <see cref="JiraGuardPolicy"/>) as Lua scripts, each run atomically by Redis.
    /// KEYS: 1 state (hash: clock, version, tripped, probe), 2 failures (sorted set: completion tick of each
    /// counted failure), 3 in flight (sorted set: lease id by expiry), 4 proven tokens, 5 quarantined tokens
    /// (sets of token identifiers). Times come from Redis's clock, never a client's.
    /// </summary>
    internal static class RedisScripts
    {
        private const string Prelude = @"
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function tripped() return tonumber(redis.call('HGET', KEYS[1], 'tripped') or '0') end
-- The budget is spent: trip (reason 2, AttemptsSpent) unless already tripped.
local function trip_if_spent(maxf)
  if redis.call('ZCARD', KEYS[2]) >= maxf and tripped() == 0 then redis.call('HSET', KEYS[1], 'tripped', 2) end
end
-- A lease that ended without news: its holder died. Jira may have counted the attempt: count it too.
local function expire_leases(now, maxf)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
  for _, lease in ipairs(expired) do
    redis.call('ZREM', KEYS[3], lease)
    if redis.call('HGET', KEYS[1], 'probe') == lease then redis.call('HDEL', KEYS[1], 'probe') end
    local tick = redis.call('HINCRBY', KEYS[1], 'clock', 1)
    redis.call('ZADD', KEYS[2], tick, 'lease:' .. lease)
  end
  if #expired > 0 then
    redis.call('HINCRBY', KEYS[1], 'version', 1)
    trip_if_spent(maxf)
  end
end
local function touch(ttl) for i = 1, 5 do redis.call('EXPIRE', KEYS[i], ttl) end end
local function status()
  return { redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]), tripped(), redis.call('SCARD', KEYS[5]),
           tonumber(redis.call('HGET', KEYS[1], 'version') or '0') }
end
";

        /// <summary>ARGV: token, lease, lease ms, max failures, throughput concurrency (0: safe), ttl s. Returns {decision, reason or probe, failures, ticket or version}.</summary>
        public const string Admit = Prelude + @"
local token, lease = ARGV[1], ARGV[2]
local leasems, maxf, tput, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local now = now_ms()
expire_leases(now, maxf)
local failures = redis.call('ZCARD', KEYS[2])
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if tripped() > 0 then touch(ttl) return { 2, tripped(), failures, version } end
if redis.call('SISMEMBER', KEYS[5], token) == 1 then touch(ttl) return { 2, 1, failures, version } end
local inflight = redis.call('ZCARD', KEYS[3])
local proven = redis.call('SISMEMBER', KEYS[4], token) == 1
local probing = redis.call('HEXISTS', KEYS[1], 'probe') == 1
local admits
if tput > 0 then admits = inflight < tput else admits = failures + inflight + 1 <= math.max(1, maxf - 1) end
local probe
if proven and admits then probe = 0
elseif (not proven or inflight == 0) and not probing and failures + inflight + 1 <= maxf then probe = 1
else touch(ttl) return { 1, 0, failures, version } end
local ticket = redis.call('HINCRBY', KEYS[1], 'clock', 1)
redis.call('ZADD', KEYS[3], now + leasems, lease)
if probe == 1 then redis.call('HSET', KEYS[1], 'probe', lease) end
touch(ttl)
return { 0, probe, failures, ticket }
";

        /// <summary>ARGV: token, lease, outcome (0 authenticated, 1 rejected, 2 locked, 3 inconclusive), ticket, max failures, ttl s. Returns the status.</summary>
        public const string Complete = Prelude + @"
local token, lease, outcome = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ticket, maxf, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
expire_leases(now_ms(), maxf)
redis.call('ZREM', KEYS[3], lease)
-- A lease that outlived its time was counted as a possible failure; now its outcome is known.
redis.call('ZREM', KEYS[2], 'lease:' .. lease)
if redis.call('HGET', KEYS[1], 'probe') == lease then redis.call('HDEL', KEYS[1], 'probe') end
local tick = redis.call('HINCRBY', KEYS[1], 'clock', 1)
if outcome == 0 then
  if redis.call('SISMEMBER', KEYS[5], token) == 0 then redis.call('SADD', KEYS[4], token) end
  -- Jira reset its count during this request: failures that completed before it was sent are gone.
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ticket)
  if tripped() == 2 and redis.call('ZCARD', KEYS[2]) < maxf then redis.call('HSET', KEYS[1], 'tripped', 0) end
elseif outcome == 1 then
  redis.call('SADD', KEYS[5], token)
  redis.call('SREM', KEYS[4], token)
  redis.call('ZADD', KEYS[2], tick, 'failure:' .. lease)
  trip_if_spent(maxf)
elseif outcome == 2 then
  redis.call('HSET', KEYS[1], 'tripped', 3)
end
redis.call('HINCRBY', KEYS[1], 'version', 1)
touch(ttl)
return status()
";

        /// <summary>ARGV: max failures. Returns the status (and ends expired leases).</summary>
        public const string Status = Prelude + @"
expire_leases(now_ms(), tonumber(ARGV[1]))
return status()
";

        /// <summary>Forgets the failures and the trip; quarantined tokens stay. ARGV: ttl s.</summary>
        public const string Reset = Prelude + @"
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'tripped', 0)
redis.call('HINCRBY', KEYS[1], 'version', 1)
touch(tonumber(ARGV[1]))
return status()
";
    }
}
