using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConfigGen
{
    /// <summary>
    /// The default guard store: the state of every account in this process's memory. It protects every
    /// client of the process; a fleet of processes sharing an account needs a shared store (Redis).
    /// Its state is gone on restart.
    /// </summary>
    /// <remarks>
    /// The common path (a proven token, admitted and then successful) takes no lock: the counters an
    /// admission decides on live in one 64-bit word changed by compare-and-swap, and the sets of proven
    /// and quarantined tokens are immutable snapshots. Everything rarer (probes, failures, trips, resets,
    /// waiting) takes the account's lock, and still updates the word by compare-and-swap.
    /// </remarks>
    public sealed class InMemoryJiraGuardStore : IJiraGuardStore
    {
        private readonly ConcurrentDictionary<JiraAccount, AccountState> _accounts = new();
        private readonly byte[] _tokenKey = NewKey();

        /// <inheritdoc />
        public IJiraGuardAccount GetAccount(JiraAccount account) => _accounts.GetOrAdd(account, a => new AccountState(a, _tokenKey));

        private static byte[] NewKey()
        {
            var key = new byte[32];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(key);
            return key;
        }

        /// <summary>The state word: in flight (16 bits), failures (8), trip reason (2), probe (1), and a version (32) that every change moves.</summary>
        private readonly struct Word
        {
            private const long ProbeBit = 1L << 26;

            public Word(long value) => Value = value;

            public long Value { get; }

            public int InFlight => (int)(Value & 0xFFFF);

            public int Failures => (int)((Value >> 16) & 0xFF);

            public JiraLockoutReason Tripped => (JiraLockoutReason)((Value >> 24) & 0x3);

            public bool Probing => (Value & ProbeBit) != 0;

            public long Version => (long)((ulong)Value >> 32);

            public static Word Of(int inFlight, int failures, JiraLockoutReason tripped, bool probing, long version) =>
                new((long)Math.Max(0, Math.Min(inFlight, 0xFFFF)) | ((long)Math.Min(failures, 0xFF) << 16) | ((long)tripped << 24) | (probing ? ProbeBit : 0L) | ((version & 0xFFFFFFFFL) << 32));

            public Word With(int inFlight, bool probing, bool changed) => Of(inFlight, Failures, Tripped, probing, changed ? Version + 1 : Version);
        }

        /// <summary>An immutable set of token identifiers, replaced (under the lock) rather than changed.</summary>
        private sealed class TokenSet
        {
            public static readonly TokenSet Empty = new(new HashSet<string>(StringComparer.Ordinal));

            private readonly HashSet<string> _ids;

            private TokenSet(HashSet<string> ids) => _ids = ids;

            public int Count => _ids.Count;

            public bool Contains(string id) => _ids.Contains(id);

            public TokenSet With(string id) => _ids.Contains(id) ? this : new TokenSet(new HashSet<string>(_ids, StringComparer.Ordinal) { id });

            public TokenSet Without(string id)
            {
                if (!_ids.Contains(id))
                {
                    return this;
                }

                var ids = new HashSet<string>(_ids, StringComparer.Ordinal);
                ids.Remove(id);
                return new TokenSet(ids);
            }
        }

        private sealed class AccountState : IJiraGuardAccount
        {
            private readonly object _gate = new();
            private readonly byte[] _tokenKey;
            private readonly List<long> _failures = new(); // completion ticks of counted failures; under the lock
            private volatile TokenSet _proven = TokenSet.Empty;
            private volatile TokenSet _quarantined = TokenSet.Empty;
            private TaskCompletionSource<bool>? _changed;
            private long _word;
            private long _clock;
            private int _waiters;

            public AccountState(JiraAccount account, byte[] tokenKey)
            {
                Account = account;
                _tokenKey = tokenKey;
            }

            public JiraAccount Account { get; }

            public string ResetInstructions => JiraGuardMessages.InMemoryReset;

            private Word Current => new(Volatile.Read(ref _word));

            public ValueTask<string> IdentifyTokenAsync(JiraSecret secret, CancellationToken cancellationToken)
            {
                // Keyed with a random per-process key: the identifier says nothing about the token outside.
                using var hmac = new HMACSHA256(_tokenKey);
                byte[] hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(secret.RevealValue()));
                return new ValueTask<string>(Convert.ToBase64String(hash));
            }

            public ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, JiraAdmission? waiting, CancellationToken cancellationToken)
            {
                bool proven = _proven.Contains(tokenId);
                while (true)
                {
                    Word word = Current;
                    if (word.Tripped != JiraLockoutReason.None)
                    {
                        return Refuse(tokenId, word.Tripped, word);
                    }

                    if (_quarantined.Contains(tokenId))
                    {
                        return Refuse(tokenId, JiraLockoutReason.TokenRejected, word);
                    }

                    // A proven token within the in-flight bound; else one probe at a time, for an unproven token,
                    // or for a proven one that only the reserved attempt could admit once nothing is in flight.
                    bool probe;
                    if (proven && policy.AdmitsProven(word.Failures, word.InFlight))
                    {
                        probe = false;
                    }
                    else if ((!proven || word.InFlight == 0) && !word.Probing && policy.AdmitsProbe(word.Failures, word.InFlight))
                    {
                        probe = true;
                    }
                    else
                    {
                        return new ValueTask<JiraAdmission>(new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, tokenId, word.Version, false, word.Failures));
                    }

                    Word admitted = word.With(word.InFlight + 1, word.Probing || probe, changed: false);
                    if (Interlocked.CompareExchange(ref _word, admitted.Value, word.Value) != word.Value)
                    {
                        continue;
                    }

                    // The token may have failed between the check and the swap; a failure is published before
                    // its count, so this second look (after the swap's fence) sees it: give the place back.
                    var admission = new JiraAdmission(JiraAdmissionDecision.Proceed, JiraLockoutReason.None, tokenId, Interlocked.Increment(ref _clock), probe, word.Failures);
                    if (_quarantined.Contains(tokenId))
                    {
                        Release(admission);
                        continue;
                    }

                    return new ValueTask<JiraAdmission>(admission);
                }
            }

            public ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken)
            {
                if (outcome == JiraAttemptOutcome.Authenticated && !admission.IsProbe)
                {
                    // The common case, without the lock, unless failures are counted (they may now be dropped).
                    while (true)
                    {
                        Word word = Current;
                        if (word.Failures > 0 || word.Tripped == JiraLockoutReason.AttemptsSpent)
                        {
                            break;
                        }

                        Word done = word.With(word.InFlight - 1, word.Probing, changed: true);
                        if (Interlocked.CompareExchange(ref _word, done.Value, word.Value) == word.Value)
                        {
                            WakeWaiters();
                            return new ValueTask<JiraGuardStatus>(Status(done));
                        }
                    }
                }

                JiraGuardStatus status = CompleteLocked(admission, outcome, policy);
                WakeWaiters();
                return new ValueTask<JiraGuardStatus>(status);
            }

            /// <summary>Every outcome but the common success: under the lock (a method of its own, so the common path allocates no closure).</summary>
            private JiraGuardStatus CompleteLocked(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy)
            {
                lock (_gate)
                {
                    long now = Interlocked.Increment(ref _clock);
                    JiraLockoutReason tripped = Current.Tripped;
                    switch (outcome)
                    {
                        case JiraAttemptOutcome.Authenticated:
                            if (!_quarantined.Contains(admission.TokenId))
                            {
                                _proven = _proven.With(admission.TokenId);
                            }

                            // Jira reset its count while this request was in flight: failures that completed
                            // before it was sent were counted before that reset.
                            DropFailuresCompletedBefore(admission.Ticket);
                            if (tripped == JiraLockoutReason.AttemptsSpent && _failures.Count < policy.MaxFailedAttempts)
                            {
                                tripped = JiraLockoutReason.None;
                            }

                            break;
                        case JiraAttemptOutcome.Rejected:
                            // Published before the word changes, so a racing admission's second look sees it.
                            _quarantined = _quarantined.With(admission.TokenId);
                            _proven = _proven.Without(admission.TokenId);
                            tripped = CountFailure(now, tripped, policy);
                            break;
                        case JiraAttemptOutcome.Unanswered:
                            // Jira may have counted it: a possible failure until a later success clears it.
                            tripped = CountFailure(now, tripped, policy);
                            break;
                        case JiraAttemptOutcome.Locked:
                            tripped = JiraLockoutReason.AccountLocked;
                            break;
                    }

                    bool probe = admission.IsProbe;
                    int failures = _failures.Count;
                    Word done = Update(w => Word.Of(w.InFlight - 1, failures, tripped, w.Probing && !probe, w.Version + 1));
                    return Status(done);
                }
            }

            public Task WaitForChangeAsync(JiraAdmission waiting, TimeSpan maxWait, CancellationToken cancellationToken)
            {
                Task changed;
                lock (_gate)
                {
                    // Counted before the version is read: a completion either sees this waiter, or changed the
                    // version before it was read here (then this returns at once). No wake-up is lost.
                    Interlocked.Increment(ref _waiters);
                    if (Current.Version != waiting.Ticket)
                    {
                        Interlocked.Decrement(ref _waiters);
                        return Task.CompletedTask;
                    }

                    _changed ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed = _changed.Task;
                }

                return WaitAsync(changed, maxWait, cancellationToken);
            }

            public ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken) => new(Status(Current));

            public ValueTask ResetAsync(CancellationToken cancellationToken)
            {
                lock (_gate)
                {
                    _failures.Clear();
                    Update(w => Word.Of(w.InFlight, 0, JiraLockoutReason.None, w.Probing, w.Version + 1));
                }

                WakeWaiters();
                return default;
            }

            private static ValueTask<JiraAdmission> Refuse(string tokenId, JiraLockoutReason reason, Word word) =>
                new(new JiraAdmission(JiraAdmissionDecision.Refuse, reason, tokenId, 0, false, word.Failures));

            /// <summary>Gives back an admission that will not be sent.</summary>
            private void Release(JiraAdmission admission)
            {
                Update(w => w.With(w.InFlight - 1, w.Probing && !admission.IsProbe, changed: true));
                WakeWaiters();
            }

            private Word Update(Func<Word, Word> change)
            {
                while (true)
                {
                    Word word = Current;
                    Word next = change(word);
                    if (Interlocked.CompareExchange(ref _word, next.Value, word.Value) == word.Value)
                    {
                        return next;
                    }
                }
            }

            private void WakeWaiters()
            {
                if (Volatile.Read(ref _waiters) == 0)
                {
                    return;
                }

                TaskCompletionSource<bool>? changed;
                lock (_gate)
                {
                    changed = _changed;
                    _changed = null;
                    Volatile.Write(ref _waiters, 0);
                }

                changed?.TrySetResult(true);
            }

            /// <summary>Counts a failure (under the lock); the account trips when the budget is spent.</summary>
            private JiraLockoutReason CountFailure(long now, JiraLockoutReason tripped, JiraGuardPolicy policy)
            {
                _failures.Add(now);
                return _failures.Count >= policy.MaxFailedAttempts && tripped == JiraLockoutReason.None ? JiraLockoutReason.AttemptsSpent : tripped;
            }

            private void DropFailuresCompletedBefore(long ticket)
            {
                int kept = 0;
                for (int i = 0; i < _failures.Count; i++)
                {
                    if (_failures[i] > ticket)
                    {
                        _failures[kept++] = _failures[i];
                    }
                }

                if (kept < _failures.Count)
                {
                    _failures.RemoveRange(kept, _failures.Count - kept);
                }
            }

            private JiraGuardStatus Status(Word word) => new(word.Failures, word.InFlight, word.Tripped, _quarantined.Count);

            private static async Task WaitAsync(Task changed, TimeSpan maxWait, CancellationToken cancellationToken)
            {
                // Every change signals; maxWait only bounds the wait should a signal ever be missed.
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
                {
                    await Task.WhenAny(changed, cancelled.Task, Task.Delay(maxWait, CancellationToken.None)).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
