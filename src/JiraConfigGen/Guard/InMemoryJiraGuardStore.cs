using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using JiraConfigGen.Shared;

namespace JiraConfigGen
{
    /// <summary>
    /// The default guard store: the state of every account in this process's memory. It protects every
    /// client of the process; a fleet of processes sharing an account needs a shared store (Redis).
    /// Its state is gone on restart.
    /// </summary>
    /// <remarks>
    /// Each account's state is guarded by one lock, held for a few comparisons. Callers that must wait are
    /// queued first come, first served, and each freed place is handed to the next caller that can take it:
    /// a completion wakes the callers it admits (or refuses), not every waiting caller.
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

        /// <summary>A caller waiting for its turn: its token and the rules it is admitted by.</summary>
        private sealed class Waiter : WaitingCaller
        {
            public Waiter(AccountState account, string tokenId, JiraGuardPolicy policy)
            {
                Account = account;
                TokenId = tokenId;
                Policy = policy;
            }

            public AccountState Account { get; }

            public string TokenId { get; }

            public JiraGuardPolicy Policy { get; }

            /// <summary>Its caller's cancellation, registered while it waits.</summary>
            public CancellationTokenRegistration Registration { get; set; }
        }

        private sealed class AccountState : IJiraGuardAccount
        {
            private readonly object _gate = new();
            private readonly byte[] _tokenKey;
            private readonly List<long> _failures = new(); // completion ticks of counted failures
            private readonly HashSet<string> _proven = new(StringComparer.Ordinal);
            private readonly HashSet<string> _quarantined = new(StringComparer.Ordinal);
            private readonly WaitingLine<Waiter> _line = new();
            private int _inFlight;
            private bool _probing;
            private JiraLockoutReason _tripped;
            private long _clock;

            public AccountState(JiraAccount account, byte[] tokenKey)
            {
                Account = account;
                _tokenKey = tokenKey;
            }

            public JiraAccount Account { get; }

            public string ResetInstructions => JiraGuardMessages.InMemoryReset;

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
                    // Nobody waiting could be admitted now (every change hands freed places out at once), so a
                    // caller that can be admitted overtakes nobody.
                    if (TryDecide(tokenId, policy) is { } decided)
                    {
                        return new ValueTask<JiraAdmission>(decided);
                    }

                    var waiter = new Waiter(this, tokenId, policy);
                    _line.Add(waiter);
                    return new ValueTask<JiraAdmission>(new JiraAdmission(JiraAdmissionDecision.Wait, JiraLockoutReason.None, tokenId, 0, false, _failures.Count, place: waiter));
                }
            }

            public ValueTask<JiraAdmission> WaitAsync(JiraAdmission waiting, CancellationToken cancellationToken)
            {
                var waiter = (Waiter)(waiting.Place ?? throw new ArgumentException("Only an admission that says Wait has a place to wait in.", nameof(waiting)));
                if (cancellationToken.CanBeCanceled)
                {
                    waiter.Registration = cancellationToken.Register(static state => ((Waiter)state!).Account.GiveUp((Waiter)state!), waiter);
                    if (waiter.Task.IsCompleted)
                    {
                        waiter.Registration.Dispose(); // its turn came first
                    }
                }

                return new ValueTask<JiraAdmission>(waiter.Task); // no state machine: the waiter is the task
            }

            public ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken)
            {
                List<(Waiter, JiraAdmission)>? turns;
                JiraGuardStatus status;
                lock (_gate)
                {
                    _inFlight--;
                    if (admission.IsProbe)
                    {
                        _probing = false;
                    }

                    bool refusesMore = false;
                    switch (outcome)
                    {
                        case JiraAttemptOutcome.Authenticated:
                            if (admission.IsProbe && !_quarantined.Contains(admission.TokenId))
                            {
                                _proven.Add(admission.TokenId);
                            }

                            if (_failures.Count > 0)
                            {
                                // Jira reset its count while this request was in flight: failures that completed
                                // before it was sent were counted before that reset.
                                DropFailuresCountedBefore(admission.Ticket);
                                if (_tripped == JiraLockoutReason.AttemptsSpent && _failures.Count < policy.MaxFailedAttempts)
                                {
                                    _tripped = JiraLockoutReason.None;
                                }
                            }

                            break;
                        case JiraAttemptOutcome.Rejected:
                            _quarantined.Add(admission.TokenId);
                            _proven.Remove(admission.TokenId);
                            CountFailure(policy);
                            refusesMore = true;
                            break;
                        case JiraAttemptOutcome.Unanswered:
                            // Jira may have counted it: a possible failure until a later success clears it.
                            CountFailure(policy);
                            refusesMore = _tripped != JiraLockoutReason.None;
                            break;
                        case JiraAttemptOutcome.Locked:
                            _tripped = JiraLockoutReason.AccountLocked;
                            refusesMore = true;
                            break;
                    }

                    turns = HandOut(refusesMore);
                    status = Status();
                }

                Give(turns);
                return new ValueTask<JiraGuardStatus>(status);
            }

            public ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken)
            {
                lock (_gate)
                {
                    return new ValueTask<JiraGuardStatus>(Status());
                }
            }

            public ValueTask ResetAsync(CancellationToken cancellationToken)
            {
                List<(Waiter, JiraAdmission)>? turns;
                lock (_gate)
                {
                    _failures.Clear();
                    _tripped = JiraLockoutReason.None;
                    turns = HandOut(refusesMore: false);
                }

                Give(turns);
                return default;
            }

            /// <summary>A caller that gave up waiting leaves the queue, unless its turn came first.</summary>
            private void GiveUp(Waiter waiter)
            {
                lock (_gate)
                {
                    if (!waiter.Queued)
                    {
                        return; // admitted or refused already: the caller acts on that
                    }

                    _line.Remove(waiter);
                }

                waiter.TrySetCanceled();
            }

            /// <summary>
            /// Proceed (counted in flight) or Refuse; null when the caller must wait. With F counted failures and
            /// I requests in flight: a proven token within the in-flight bound; else one probe at a time, for an
            /// unproven token, or for a proven one that only the reserved attempt could admit once nothing is in flight.
            /// </summary>
            private JiraAdmission? TryDecide(string tokenId, JiraGuardPolicy policy)
            {
                if (_tripped != JiraLockoutReason.None)
                {
                    return Refuse(tokenId, _tripped);
                }

                if (_quarantined.Contains(tokenId))
                {
                    return Refuse(tokenId, JiraLockoutReason.TokenRejected);
                }

                bool proven = _proven.Contains(tokenId);
                bool probe;
                if (proven && policy.AdmitsProven(_failures.Count, _inFlight))
                {
                    probe = false;
                }
                else if ((!proven || _inFlight == 0) && !_probing && policy.AdmitsProbe(_failures.Count, _inFlight))
                {
                    probe = true;
                }
                else
                {
                    return null;
                }

                _inFlight++;
                _probing |= probe;
                return new JiraAdmission(JiraAdmissionDecision.Proceed, JiraLockoutReason.None, tokenId, ++_clock, probe, _failures.Count);
            }

            /// <summary>
            /// Hands freed places to waiting callers, first come first served: each that can be admitted is, each
            /// that never will be (a quarantined token, a trip) is refused; the rest keep their places. Stops at the
            /// first caller that must wait once nothing more can be admitted, unless refusals may follow.
            /// </summary>
            private List<(Waiter, JiraAdmission)>? HandOut(bool refusesMore)
            {
                List<(Waiter, JiraAdmission)>? turns = null;
                for (Waiter? waiter = _line.First; waiter is not null;)
                {
                    Waiter? next = WaitingLine<Waiter>.After(waiter);
                    if (TryDecide(waiter.TokenId, waiter.Policy) is { } turn)
                    {
                        _line.Remove(waiter);
                        (turns ??= new List<(Waiter, JiraAdmission)>()).Add((waiter, turn));
                    }
                    else if (!refusesMore && !CanAdmitAny(waiter.Policy))
                    {
                        break;
                    }

                    waiter = next;
                }

                return turns;
            }

            private bool CanAdmitAny(JiraGuardPolicy policy) =>
                policy.AdmitsProven(_failures.Count, _inFlight) || (!_probing && policy.AdmitsProbe(_failures.Count, _inFlight));

            private static void Give(List<(Waiter Waiter, JiraAdmission Turn)>? turns)
            {
                if (turns is null)
                {
                    return;
                }

                // Outside the lock; the continuations run on the thread pool (RunContinuationsAsynchronously).
                foreach ((Waiter waiter, JiraAdmission turn) in turns)
                {
                    waiter.TrySetResult(turn);
                    waiter.Registration.Dispose();
                }
            }

            /// <summary>Drops the failures counted before <paramref name="ticket"/> (a loop: a lambda here would allocate on every completion).</summary>
            private void DropFailuresCountedBefore(long ticket)
            {
                int kept = 0;
                for (int i = 0; i < _failures.Count; i++)
                {
                    if (_failures[i] > ticket)
                    {
                        _failures[kept++] = _failures[i];
                    }
                }

                _failures.RemoveRange(kept, _failures.Count - kept);
            }

            private void CountFailure(JiraGuardPolicy policy)
            {
                _failures.Add(++_clock);
                if (_failures.Count >= policy.MaxFailedAttempts && _tripped == JiraLockoutReason.None)
                {
                    _tripped = JiraLockoutReason.AttemptsSpent;
                }
            }

            private JiraAdmission Refuse(string tokenId, JiraLockoutReason reason) =>
                new(JiraAdmissionDecision.Refuse, reason, tokenId, 0, false, _failures.Count);

            private JiraGuardStatus Status() => new(_failures.Count, _inFlight, _tripped, _quarantined.Count);
        }
    }
}
