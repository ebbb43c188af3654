namespace JiraConfigGen.Redis
{
    /// <summary>
    /// The guard's rules (see <see cref="JiraGuardPolicy"/>) as Lua scripts, each run atomically by Redis.
    /// KEYS: 1 state (hash: clock, version, tripped, probe, queue sequence), 2 failures (sorted set: completion
    /// tick of each counted failure), 3 in flight (sorted set: lease id by expiry), 4 proven tokens, 5 quarantined
    /// tokens (sets of token identifiers), 6 queue (sorted set: waiting callers by arrival), 7 waiting (sorted set:
    /// the same callers by when their place lapses unless they ask again). Times come from Redis's clock, never a
    /// client's. Whatever may let a waiting caller in is published: each place first in line for the places free now,
    /// on the channel of the process that holds it (a place's id starts with its process's id and a dot), or <c>*</c> on
    /// the account's channel, to every process, when waiting callers may be refused. So a waiting process asks Redis
    /// again only when its turn may have come, and a message reaches only the process it concerns.
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
-- Wakes the waiting processes whose places are first in line for the places free now (at least the first, who may
-- be a probe), each on its own channel; or every waiting process ('*') when waiting callers may be refused.
local function publish(channel, maxf, tput, everyone)
  if redis.call('ZCARD', KEYS[6]) == 0 then return end
  if everyone then redis.call('PUBLISH', channel, '*') return end
  local cap
  if tput > 0 then cap = tput else cap = math.max(1, maxf - 1) - redis.call('ZCARD', KEYS[2]) end
  local free = math.max(1, cap - redis.call('ZCARD', KEYS[3]))
  for _, place in ipairs(redis.call('ZRANGE', KEYS[6], 0, free - 1)) do
    local owner = string.match(place, '^([^.]+)%.')
    if owner then redis.call('PUBLISH', channel .. ':' .. owner, place) else redis.call('PUBLISH', channel, place) end
  end
end
-- A lease that ended without news: its holder died. Jira may have counted the attempt: count it too.
local function expire_leases(now, maxf, tput, channel)
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
    publish(channel, maxf, tput, tripped() > 0)
  end
end
local function leave_queue(waiter)
  if waiter == '' then return 0 end
  redis.call('ZREM', KEYS[7], waiter)
  return redis.call('ZREM', KEYS[6], waiter)
end
-- A waiter that stopped asking (its caller gave up or its process died) loses its place.
local function expire_waiters(now, maxf, tput, channel)
  local lapsed = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now)
  for _, waiter in ipairs(lapsed) do leave_queue(waiter) end
  if #lapsed > 0 then publish(channel, maxf, tput, false) end
end
local function touch(ttl) for i = 1, 7 do redis.call('EXPIRE', KEYS[i], ttl) end end
local function status()
  return { redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]), tripped(), redis.call('SCARD', KEYS[5]),
           tonumber(redis.call('HGET', KEYS[1], 'version') or '0') }
end
";

        /// <summary>
        /// ARGV: token, lease, lease ms, max failures, throughput concurrency (0: safe), ttl s, waiter (the caller's
        /// place in the queue, or empty for a new caller), waiter ms (how long a place is kept without a new ask),
        /// channel, successor (a place to queue, at the end, when this caller is admitted: for the next caller of the
        /// same process; empty for none). Callers are admitted first come, first served across the fleet: a caller
        /// goes ahead only while fewer callers wait before it than there are free places for its token. Returns
        /// {decision, reason or probe, failures, ticket or version, proven, waiter, places still free for a proven token}.
        /// </summary>
        public const string Admit = Prelude + @"
local token, lease, waiter = ARGV[1], ARGV[2], ARGV[7]
local leasems, maxf, tput, ttl, waitms = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[8])
local channel, successor = ARGV[9], ARGV[10]
local now = now_ms()
expire_leases(now, maxf, tput, channel)
expire_waiters(now, maxf, tput, channel)
local failures = redis.call('ZCARD', KEYS[2])
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local proven = redis.call('SISMEMBER', KEYS[4], token) == 1
local known = proven and 1 or 0
if tripped() > 0 then leave_queue(waiter) touch(ttl) return { 2, tripped(), failures, version, known, '' } end
if redis.call('SISMEMBER', KEYS[5], token) == 1 then leave_queue(waiter) touch(ttl) return { 2, 1, failures, version, 0, '' } end
local inflight = redis.call('ZCARD', KEYS[3])
local probing = redis.call('HEXISTS', KEYS[1], 'probe') == 1
local cap
if tput > 0 then cap = tput else cap = math.max(1, maxf - 1) - failures end
local free, probe = 0, 0
if proven and inflight < cap then free = cap - inflight
elseif (not proven or inflight == 0) and not probing and failures + inflight + 1 <= maxf then free, probe = 1, 1 end
local rank = nil
if waiter ~= '' then rank = redis.call('ZRANK', KEYS[6], waiter) end
local ahead = rank or redis.call('ZCARD', KEYS[6])
if ahead >= free then
  if rank == nil then
    if waiter == '' then waiter = lease end
    redis.call('ZADD', KEYS[6], redis.call('HINCRBY', KEYS[1], 'qseq', 1), waiter)
  end
  redis.call('ZADD', KEYS[7], now + waitms, waiter)
  touch(ttl)
  return { 1, 0, failures, version, known, waiter }
end
leave_queue(waiter)
local ticket = redis.call('HINCRBY', KEYS[1], 'clock', 1)
redis.call('ZADD', KEYS[3], now + leasems, lease)
if probe == 1 then redis.call('HSET', KEYS[1], 'probe', lease) end
if successor ~= '' then
  -- The next caller of this process takes its place at the end of the line now, without a script of its own.
  redis.call('ZADD', KEYS[6], redis.call('HINCRBY', KEYS[1], 'qseq', 1), successor)
  redis.call('ZADD', KEYS[7], now + waitms, successor)
end
touch(ttl)
return { 0, probe, failures, ticket, known, '', math.max(0, cap - inflight - 1) }
";

        /// <summary>ARGV: token, lease, outcome (0 authenticated, 1 rejected, 2 locked, 3 inconclusive, 4 unanswered), ticket, max failures, ttl s, channel, throughput concurrency. Returns the status.</summary>
        public const string Complete = Prelude + @"
local token, lease, outcome = ARGV[1], ARGV[2], tonumber(ARGV[3])
local ticket, maxf, ttl, channel, tput = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
expire_leases(now_ms(), maxf, tput, channel)
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
elseif outcome == 4 then
  -- No answer was read: Jira may have counted it. A possible failure until a later success clears it.
  redis.call('ZADD', KEYS[2], tick, 'unanswered:' .. lease)
  trip_if_spent(maxf)
end
redis.call('HINCRBY', KEYS[1], 'version', 1)
-- A rejection quarantines a token and a trip refuses everyone: every waiting process looks again.
publish(channel, maxf, tput, outcome == 1 or tripped() > 0)
touch(ttl)
return status()
";

        /// <summary>A caller that gave up waiting leaves the queue. ARGV: waiter, channel, max failures, throughput concurrency.</summary>
        public const string Leave = Prelude + @"
if leave_queue(ARGV[1]) > 0 then publish(ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), false) end
return 0
";

        /// <summary>ARGV: max failures, channel, throughput concurrency. Returns the status (and ends expired leases).</summary>
        public const string Status = Prelude + @"
expire_leases(now_ms(), tonumber(ARGV[1]), tonumber(ARGV[3]), ARGV[2])
return status()
";

        /// <summary>Forgets the failures and the trip; quarantined tokens stay. ARGV: ttl s, channel.</summary>
        public const string Reset = Prelude + @"
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'tripped', 0)
redis.call('HINCRBY', KEYS[1], 'version', 1)
publish(ARGV[2], 1, 0, true)
touch(tonumber(ARGV[1]))
return status()
";
    }
}
