using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConfigGen.Shared;
using StackExchange.Redis;

namespace JiraConfigGen.Redis
{
    public sealed partial class RedisJiraGuardStore
    {
        /// <summary>
        /// One account: Redis when it answers, the outage mode when it does not. Callers of this process that must
        /// wait queue here, first come first served; only the first of them (the representative) has a place in
        /// Redis's queue and asks Redis, when Redis says its turn may have come. The others cost Redis nothing.
        /// </summary>
        private sealed class RedisAccount : IJiraGuardAccount
        {
            private readonly RedisJiraGuardStore _store;
            private readonly RedisKey[] _keys;
            private readonly string _channel;
            private readonly string _ownChannel;
            private readonly byte[] _salt;
            private readonly IJiraGuardAccount _local;
            private readonly ConcurrentQueue<(string TokenId, JiraAttemptOutcome Outcome)> _toReplay = new();
            private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokenIds = new(StringComparer.Ordinal);
            private readonly ConcurrentDictionary<string, bool> _provenHere = new(StringComparer.Ordinal);
            private readonly object _gate = new();
            private readonly WaitingLine<Waiter> _line = new();
            private bool _driving;
            private int _asking;
            private readonly ConcurrentDictionary<string, bool> _named = new(StringComparer.Ordinal);
            private TaskCompletionSource<bool> _wake = NewSignal();
            private volatile string? _representative;
            private int _everyone;
            private int _subscribed;

            public RedisAccount(RedisJiraGuardStore store, JiraAccount account)
            {
                _store = store;
                Account = account;
                string prefix = store.KeyPrefixFor(account);
                _keys = new RedisKey[] { prefix + "state", prefix + "failures", prefix + "inflight", prefix + "proven", prefix + "quarantined", prefix + "queue", prefix + "waiting" };
                _channel = prefix + "changed";
                _ownChannel = _channel + ":" + store.ProcessId;
                _salt = Encoding.UTF8.GetBytes("JiraConfigGen/" + account.Key);
                _local = store._fallback.GetAccount(account);
                string keyPrefix = store.Options.KeyPrefix == new RedisGuardOptions().KeyPrefix ? string.Empty : $" --key-prefix \"{store.Options.KeyPrefix}\"";
                ResetInstructions =
                    $"clear the trip for the whole fleet: run jira-connections guard reset --redis HOST:PORT{keyPrefix} --account \"{account.Instance}/{account.Username}\" (the JiraConfigGen.Cli tool, with your Redis server's address), " +
                    $"or against the guard's Redis run DEL \"{prefix}failures\" and then HSET \"{prefix}state\" tripped 0 (redis-cli, with your server's address and credentials), " +
                    "or call JiraLockoutGuard.ResetAsync in any process of the fleet; restarting processes does not clear it, the state is in Redis";
            }

            public JiraAccount Account { get; }

            public string ResetInstructions { get; }

            private RedisGuardOptions Options => _store.Options;

            private long Ttl => (long)Options.KeyTimeToLive.TotalSeconds;

            /// <summary>How long the representative keeps its place in Redis's queue without asking again.</summary>
            private long WaiterMilliseconds => (long)Math.Max(2_000, 3 * Options.PollInterval.TotalMilliseconds);

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

            public async ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, CancellationToken cancellationToken)
            {
                if (!_toReplay.IsEmpty)
                {
                    await ReplayOutageOutcomesAsync(policy).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    if (_line.First is not null || _asking > 0)
                    {
                        // Others of this process wait, or are asking, already: behind them, without a word to Redis.
                        return Queue(new Waiter(tokenId, policy, redisPlace: null), failedAttempts: 0);
                    }

                    _asking++;
                }

                int everyone = Volatile.Read(ref _everyone);
                (bool ok, JiraAdmission admission, _) = await AskRedisAsync(tokenId, policy, redisPlace: null, successor: null).ConfigureAwait(false);
                lock (_gate)
                {
                    _asking--;
                }

                if (!ok)
                {
                    return await OutageAdmitAsync(tokenId, cancellationToken).ConfigureAwait(false);
                }

                if (admission.Decision != JiraAdmissionDecision.Wait)
                {
                    return admission;
                }

                lock (_gate)
                {
                    if (_line.First is null)
                    {
                        // This process's representative, already in Redis's queue: it waits before asking again.
                        return Queue(new Waiter(tokenId, policy, admission.Lease) { MayWait = true, EveryoneAtAsk = everyone }, admission.FailedAttempts);
                    }
                }

                // Another caller of this process queued meanwhile: one place in Redis per process is enough.
                LeaveRedisQueue(admission.Lease!, policy);
                lock (_gate)
                {
                    return Queue(new Waiter(tokenId, policy, redisPlace: null), admission.FailedAttempts);
                }
            }

            public async ValueTask<JiraAdmission> WaitAsync(JiraAdmission waiting, CancellationToken cancellationToken)
            {
                if (waiting.Place is not Waiter waiter)
                {
                    // Queued by the local guard in outage mode.
                    return await _local.WaitAsync(waiting, cancellationToken).ConfigureAwait(false);
                }

                waiter.CancellationToken = cancellationToken;
                using (cancellationToken.Register(static state => ((Waiter)state!).Cancel(), waiter))
                {
                    lock (_gate)
                    {
                        if (!_driving && _line.First is not null)
                        {
                            _driving = true;
                            _ = DriveAsync();
                        }
                    }

                    JiraAdmission turn = await waiter.Task.ConfigureAwait(false);
                    return turn;
                }
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
                if (admission.Lease is null)
                {
                    // Admitted in outage mode: its outcome belongs to the local guard, and what counts to Redis later.
                    if (counts)
                    {
                        _toReplay.Enqueue((admission.TokenId, outcome));
                    }

                    return await _local.CompleteAsync(admission, outcome, OutagePolicy, cancellationToken).ConfigureAwait(false);
                }

                // A success is pipelined (the one awaited round trip was the admission). Everything that can spend the
                // budget is awaited, so the fleet sees it before this call returns.
                bool pipelined = outcome == JiraAttemptOutcome.Authenticated && !admission.IsProbe;
                (bool ok, RedisResult? result) = await _store.TryRedisAsync(
                    RedisScripts.Complete,
                    _keys,
                    new RedisValue[] { admission.TokenId, admission.Lease, (int)outcome, admission.Ticket, policy.MaxFailedAttempts, Ttl, _channel, policy.ThroughputConcurrency },
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

            public async ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken)
            {
                (bool ok, RedisResult? result) = await _store.TryRedisAsync(RedisScripts.Status, _keys, new RedisValue[] { int.MaxValue, _channel, 0 }).ConfigureAwait(false);
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

                Wake();
            }

            /// <summary>
            /// Gives this process's waiting callers their turns, first come first served: the first asks Redis (with
            /// its place in Redis's queue), and waits, without asking again, until Redis publishes that its turn may
            /// have come (or <see cref="RedisGuardOptions.PollInterval"/> passes, should a message be lost). A refusal
            /// that holds for every caller with the same token (or every caller: a trip) is given to them all at once.
            /// Runs while anyone waits; ends when nobody does.
            /// </summary>
            private async Task DriveAsync()
            {
                EnsureSubscribed();
                while (true)
                {
                    Waiter? head;
                    Task woken;
                    lock (_gate)
                    {
                        head = _line.First;
                        if (head is null)
                        {
                            _driving = false;
                            _representative = null;
                            return;
                        }

                        woken = _wake.Task; // taken before looking: a message that arrives later wakes this wait
                    }

                    if (head.RedisPlace is { } place && head.MayWait)
                    {
                        // In Redis's queue, told to wait: ask again only once Redis has named this place (or everyone).
                        head.MayWait = false;
                        _representative = place;
                        if (!_named.TryRemove(place, out _) && Volatile.Read(ref _everyone) == head.EveryoneAtAsk)
                        {
                            await Task.WhenAny(woken, head.Task, Task.Delay(Options.PollInterval)).ConfigureAwait(false);
                            _named.TryRemove(place, out _);
                        }

                        continue;
                    }

                    // Should the head be admitted while others of this process wait behind it, the next one takes a place at
                    // the end of Redis's line in the same script.
                    int everyone = Volatile.Read(ref _everyone);
                    string? successor;
                    lock (_gate)
                    {
                        successor = WaitingLine<Waiter>.After(head) is not null ? NewId() : null;
                    }

                    (bool ok, JiraAdmission answer, int placesLeft) = await AskRedisAsync(head.TokenId, head.Policy, head.RedisPlace, successor).ConfigureAwait(false);
                    JiraAdmission turn;
                    if (!ok)
                    {
                        head.RedisPlace = null;
                        turn = await OutageTurnAsync(head).ConfigureAwait(false);
                    }
                    else if (answer.Decision == JiraAdmissionDecision.Wait)
                    {
                        bool stillWaiting;
                        lock (_gate)
                        {
                            stillWaiting = head.Queued;
                            if (stillWaiting)
                            {
                                head.RedisPlace = answer.Lease;
                                head.MayWait = true;
                                head.EveryoneAtAsk = everyone;
                            }
                        }

                        if (!stillWaiting)
                        {
                            LeaveRedisQueue(answer.Lease!, head.Policy); // its caller left while Redis queued it
                        }

                        continue;
                    }
                    else
                    {
                        turn = answer;
                        if (answer.Decision == JiraAdmissionDecision.Proceed && successor is not null)
                        {
                            HandPlaceOn(head, successor, everyone, placesLeft);
                        }
                    }

                    await SettleAsync(head, turn).ConfigureAwait(false);
                }
            }

            /// <summary>
            /// The place Redis queued for the caller after <paramref name="head"/> goes to the next caller still waiting here,
            /// or is given up. That caller waits to be named, unless places are still free (then it asks at once).
            /// </summary>
            private void HandPlaceOn(Waiter head, string successor, int everyone, int placesLeft)
            {
                lock (_gate)
                {
                    Waiter? next = head.Queued ? WaitingLine<Waiter>.After(head) : _line.First;
                    if (next is not null && next.RedisPlace is null)
                    {
                        next.RedisPlace = successor;
                        next.MayWait = placesLeft == 0;
                        next.EveryoneAtAsk = everyone;
                        return;
                    }
                }

                LeaveRedisQueue(successor, head.Policy);
            }

            /// <summary>Gives <paramref name="head"/> its turn, or gives the turn back if its caller left meanwhile.</summary>
            private async Task SettleAsync(Waiter head, JiraAdmission turn)
            {
                List<Waiter>? alsoRefused = null;
                bool taken;
                lock (_gate)
                {
                    taken = head.Queued;
                    if (taken)
                    {
                        _line.Remove(head);
                    }

                    if (turn.Decision == JiraAdmissionDecision.Refuse && turn.Reason != JiraLockoutReason.StoreUnavailable)
                    {
                        // The same answer holds for every caller with this token, or for everyone when the account is tripped.
                        for (Waiter? other = _line.First; other is not null;)
                        {
                            Waiter? next = WaitingLine<Waiter>.After(other);
                            if (turn.Reason != JiraLockoutReason.TokenRejected || other.TokenId == turn.TokenId)
                            {
                                _line.Remove(other);
                                (alsoRefused ??= new List<Waiter>()).Add(other);
                            }

                            other = next;
                        }
                    }
                }

                if (taken)
                {
                    head.TrySetResult(turn);
                }
                else if (turn.Decision == JiraAdmissionDecision.Proceed)
                {
                    await CompleteAsync(turn, JiraAttemptOutcome.Inconclusive, head.Policy, CancellationToken.None).ConfigureAwait(false);
                }

                if (alsoRefused is not null)
                {
                    foreach (Waiter other in alsoRefused)
                    {
                        other.TrySetResult(new JiraAdmission(JiraAdmissionDecision.Refuse, turn.Reason, other.TokenId, 0, false, turn.FailedAttempts));
                    }
                }
            }

            /// <summary>While Redis is down, the first waiting caller gets the outage mode's answer (waiting on the local guard if need be).</summary>
            private async Task<JiraAdmission> OutageTurnAsync(Waiter head)
            {
                JiraAdmission decided = await OutageAdmitAsync(head.TokenId, CancellationToken.None).ConfigureAwait(false);
                if (decided.Decision != JiraAdmissionDecision.Wait)
                {
                    return decided;
                }

                try
                {
                    return await _local.WaitAsync(decided, head.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, head.TokenId, 0, false, 0); // gone: nothing to settle
                }
            }

            /// <summary>One Admit script: the decision (and, when admitted, how many places are still free), or false when Redis cannot be reached.</summary>
            private async Task<(bool Ok, JiraAdmission Admission, int PlacesLeft)> AskRedisAsync(string tokenId, JiraGuardPolicy policy, string? redisPlace, string? successor)
            {
                string lease = NewId(); // also the caller's place, should Redis queue it
                (bool ok, RedisResult? result) = await _store.TryRedisAsync(
                    RedisScripts.Admit,
                    _keys,
                    new RedisValue[]
                    {
                        tokenId, lease, (long)Options.LeaseDuration.TotalMilliseconds, policy.MaxFailedAttempts, policy.ThroughputConcurrency, Ttl,
                        redisPlace ?? string.Empty, WaiterMilliseconds, _channel, successor ?? string.Empty,
                    }).ConfigureAwait(false);
                if (!ok)
                {
                    return (false, default, 0);
                }

                var r = (RedisResult[])result!;
                int failures = (int)r[2];
                if ((int)r[4] == 1)
                {
                    // Proven in the fleet, as Redis says even to a caller that only waits: usable during an outage.
                    _provenHere.TryAdd(tokenId, true);
                }

                switch ((int)r[0])
                {
                    case 0:
                        return (true, new JiraAdmission(JiraAdmissionDecision.Proceed, JiraLockoutReason.None, tokenId, (long)r[3], (int)r[1] == 1, failures, lease), (int)r[6]);
                    case 1:
                        return (true, new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, tokenId, (long)r[3], false, failures, (string?)r[5]), 0);
                    default:
                        var reason = (JiraLockoutReason)(int)r[1];
                        if (reason == JiraLockoutReason.TokenRejected)
                        {
                            _provenHere.TryRemove(tokenId, out _);
                        }

                        return (true, new JiraAdmission(JiraAdmissionDecision.Refuse, reason, tokenId, 0, false, failures), 0);
                }
            }

            /// <summary>Queues a caller here (under the lock); <paramref name="failedAttempts"/> is what Redis last said, if it was asked.</summary>
            private JiraAdmission Queue(Waiter waiter, int failedAttempts)
            {
                waiter.Account = this;
                _line.Add(waiter);
                return new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, waiter.TokenId, 0, false, failedAttempts, place: waiter);
            }

            /// <summary>A caller gave up waiting: it leaves the queue here, and its place in Redis's, unless its turn came first.</summary>
            private void GiveUp(Waiter waiter)
            {
                string? redisPlace;
                lock (_gate)
                {
                    if (!waiter.Queued)
                    {
                        return;
                    }

                    _line.Remove(waiter);
                    redisPlace = waiter.RedisPlace;
                }

                if (redisPlace is not null)
                {
                    LeaveRedisQueue(redisPlace, waiter.Policy);
                }

                waiter.TrySetCanceled(waiter.CancellationToken);
                Wake();
            }

            /// <summary>Gives a place in Redis's queue up (pipelined; nobody waits for it).</summary>
            private void LeaveRedisQueue(string redisPlace, JiraGuardPolicy policy) =>
                _ = _store.TryRedisAsync(RedisScripts.Leave, _keys, new RedisValue[] { redisPlace, _channel, policy.MaxFailedAttempts, policy.ThroughputConcurrency }, fireAndForget: true);

            /// <summary>
            /// What Redis published: the places whose turn may have come, or <c>*</c> for everyone. Each named place is
            /// remembered, since a message can overtake the answer that told a place to wait.
            /// </summary>
            private void Heard(string message)
            {
                if (message == "*")
                {
                    Interlocked.Increment(ref _everyone);
                    Wake();
                    return;
                }

                if (_named.Count > 1_000)
                {
                    _named.Clear(); // places named long ago, for callers long gone
                }

                string? representative = _representative;
                bool ours = false;
                foreach (string place in message.Split(' '))
                {
                    _named[place] = true;
                    ours |= place == representative;
                }

                if (ours)
                {
                    Wake();
                }
            }

            private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult(true);

            /// <summary>
            /// Listens, once, for the turns Redis publishes on this account: this process's own channel (its places) and
            /// the account's (<c>*</c>, for everyone); a failure leaves waiting to the poll.
            /// </summary>
            private void EnsureSubscribed()
            {
                if (Interlocked.CompareExchange(ref _subscribed, 1, 0) == 0)
                {
                    _ = _store.SubscribeAsync(_ownChannel, Heard, () => Volatile.Write(ref _subscribed, 0));
                    _ = _store.SubscribeAsync(_channel, Heard, () => Volatile.Write(ref _subscribed, 0));
                }
            }

            /// <summary>A lease or place id: this process's id, a dot, and a random part (the scripts publish a place to its owner by it).</summary>
            private string NewId() => _store.ProcessId + "." + Guid.NewGuid().ToString("N");

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
                // process, and the first failure stops the account here. Its admissions carry no lease.
                return await _local.TryAdmitAsync(tokenId, OutagePolicy, cancellationToken).ConfigureAwait(false);
            }

            /// <summary>Writes what was counted while Redis was down into Redis, so the fleet counts it.</summary>
            private async Task ReplayOutageOutcomesAsync(JiraGuardPolicy policy)
            {
                bool replayed = false;
                while (_toReplay.TryPeek(out (string TokenId, JiraAttemptOutcome Outcome) missed))
                {
                    (bool ok, _) = await _store.TryRedisAsync(
                        RedisScripts.Complete,
                        _keys,
                        new RedisValue[] { missed.TokenId, "replay:" + Guid.NewGuid().ToString("N"), (int)missed.Outcome, 0, policy.MaxFailedAttempts, Ttl, _channel, policy.ThroughputConcurrency }).ConfigureAwait(false);
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
                JiraAdmission slot = await _local.TryAdmitAsync(tokenId, OutagePolicy, cancellationToken).ConfigureAwait(false);
                if (slot.Decision == JiraAdmissionDecision.Wait)
                {
                    slot = await _local.WaitAsync(slot, cancellationToken).ConfigureAwait(false);
                }

                if (slot.Decision == JiraAdmissionDecision.Proceed)
                {
                    await _local.CompleteAsync(slot, outcome, OutagePolicy, cancellationToken).ConfigureAwait(false);
                }
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

            private static JiraGuardStatus ToStatus(RedisResult result)
            {
                var r = (RedisResult[])result!;
                return new JiraGuardStatus((int)r[0], (int)r[1], (JiraLockoutReason)(int)r[2], (int)r[3]);
            }

            private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

            /// <summary>A caller of this process waiting for its turn; the first of them has a place in Redis's queue.</summary>
            private sealed class Waiter : WaitingCaller
            {
                public Waiter(string tokenId, JiraGuardPolicy policy, string? redisPlace)
                {
                    TokenId = tokenId;
                    Policy = policy;
                    RedisPlace = redisPlace;
                }

                public RedisAccount Account { get; set; } = null!;

                public string TokenId { get; }

                public JiraGuardPolicy Policy { get; }

                /// <summary>Its place in Redis's queue (the id the scripts publish), once it has one.</summary>
                public string? RedisPlace { get; set; }

                public CancellationToken CancellationToken { get; set; }

                /// <summary>Redis told it to wait (at <see cref="RedisPlace"/>): it waits to be named before asking again.</summary>
                public bool MayWait { get; set; }

                /// <summary>How many <c>*</c> messages had been heard when it last asked.</summary>
                public int EveryoneAtAsk { get; set; }

                public void Cancel() => Account.GiveUp(this);
            }
        }
    }
}
