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

        private sealed class AccountState : IJiraGuardAccount
        {
            private readonly object _gate = new();
            private readonly byte[] _tokenKey;
            private readonly List<long> _failures = new();
            private readonly HashSet<string> _quarantined = new(StringComparer.Ordinal);
            private readonly HashSet<string> _proven = new(StringComparer.Ordinal);
            private TaskCompletionSource<bool>? _changed;
            private long _clock;
            private long _version;
            private int _inFlight;
            private string? _probe;
            private JiraLockoutReason _tripped;

            public AccountState(JiraAccount account, byte[] tokenKey)
            {
                Account = account;
                _tokenKey = tokenKey;
            }

            public JiraAccount Account { get; }

            public ValueTask<string> IdentifyTokenAsync(JiraSecret secret, CancellationToken cancellationToken)
            {
                // Keyed with a random per-process key: the identifier says nothing about the token outside.
                using var hmac = new HMACSHA256(_tokenKey);
                byte[] hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(secret.RevealValue()));
                return new ValueTask<string>(Convert.ToBase64String(hash));
            }

            public ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, CancellationToken cancellationToken)
            {
                lock (_gate)
                {
                    return new ValueTask<JiraAdmission>(Decide(tokenId, policy));
                }
            }

            private JiraAdmission Decide(string tokenId, JiraGuardPolicy policy)
            {
                int failures = _failures.Count;
                if (_tripped != JiraLockoutReason.None)
                {
                    return new JiraAdmission(JiraAdmissionDecision.Refuse, _tripped, tokenId, 0, false, failures);
                }

                if (_quarantined.Contains(tokenId))
                {
                    return new JiraAdmission(JiraAdmissionDecision.Refuse, JiraLockoutReason.TokenRejected, tokenId, 0, false, failures);
                }

                bool proven = _proven.Contains(tokenId);
                if (proven && policy.AdmitsProven(failures, _inFlight))
                {
                    _inFlight++;
                    return new JiraAdmission(JiraAdmissionDecision.Proceed, JiraLockoutReason.None, tokenId, ++_clock, false, failures);
                }

                // An unproven token is probed one request at a time. So is a proven one that only the reserved
                // attempt could admit, once nothing is in flight (else it would wait for a change that never comes).
                if (_probe is null && (!proven || _inFlight == 0) && policy.AdmitsProbe(failures, _inFlight))
                {
                    _inFlight++;
                    _probe = tokenId;
                    return new JiraAdmission(JiraAdmissionDecision.Proceed, JiraLockoutReason.None, tokenId, ++_clock, true, failures);
                }

                return new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, tokenId, _version, false, failures);
            }

            public ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken)
            {
                TaskCompletionSource<bool>? changed;
                JiraGuardStatus status;
                lock (_gate)
                {
                    _inFlight--;
                    if (admission.IsProbe && _probe == admission.TokenId)
                    {
                        _probe = null;
                    }

                    long now = ++_clock;
                    switch (outcome)
                    {
                        case JiraAttemptOutcome.Authenticated:
                            if (!_quarantined.Contains(admission.TokenId))
                            {
                                _proven.Add(admission.TokenId);
                            }

                            // Jira reset its count while this request was in flight: failures that completed
                            // before it was sent were counted before that reset.
                            _failures.RemoveAll(completedAt => completedAt <= admission.Ticket);
                            if (_tripped == JiraLockoutReason.AttemptsSpent && _failures.Count < policy.MaxFailedAttempts)
                            {
                                _tripped = JiraLockoutReason.None;
                            }

                            break;
                        case JiraAttemptOutcome.Rejected:
                            _failures.Add(now);
                            _quarantined.Add(admission.TokenId);
                            _proven.Remove(admission.TokenId);
                            if (_failures.Count >= policy.MaxFailedAttempts && _tripped == JiraLockoutReason.None)
                            {
                                _tripped = JiraLockoutReason.AttemptsSpent;
                            }

                            break;
                        case JiraAttemptOutcome.Locked:
                            _tripped = JiraLockoutReason.AccountLocked;
                            break;
                    }

                    status = Snapshot();
                    changed = Changed();
                }

                changed?.TrySetResult(true);
                return new ValueTask<JiraGuardStatus>(status);
            }

            public Task WaitForChangeAsync(JiraAdmission waiting, TimeSpan maxWait, CancellationToken cancellationToken)
            {
                Task changed;
                lock (_gate)
                {
                    if (_version != waiting.Ticket)
                    {
                        return Task.CompletedTask;
                    }

                    // A signal exists only while someone waits, so completing requests allocates nothing.
                    _changed ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed = _changed.Task;
                }

                // Every change here signals, so the wait needs no timer; maxWait is for shared stores.
                return cancellationToken.CanBeCanceled ? WaitAsync(changed, cancellationToken) : changed;
            }

            public ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken)
            {
                lock (_gate)
                {
                    return new ValueTask<JiraGuardStatus>(Snapshot());
                }
            }

            public ValueTask ResetAsync(CancellationToken cancellationToken)
            {
                TaskCompletionSource<bool>? changed;
                lock (_gate)
                {
                    _failures.Clear();
                    _tripped = JiraLockoutReason.None;
                    changed = Changed();
                }

                changed?.TrySetResult(true);
                return default;
            }

            /// <summary>Moves to a new version; returns the signal to complete (outside the lock), if anyone waits.</summary>
            private TaskCompletionSource<bool>? Changed()
            {
                _version++;
                TaskCompletionSource<bool>? changed = _changed;
                _changed = null;
                return changed;
            }

            private JiraGuardStatus Snapshot() => new(_failures.Count, _inFlight, _tripped, _quarantined.Count);

            private static async Task WaitAsync(Task changed, CancellationToken cancellationToken)
            {
                var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
                {
                    await Task.WhenAny(changed, cancelled.Task).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
