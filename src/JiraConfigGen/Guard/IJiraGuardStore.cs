using System;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConfigGen
{
    /// <summary>
    /// Where the guard keeps its state: one record per Jira account. The default keeps it in memory; a
    /// store shared by several processes (JiraConfigGen.Redis) keeps the same rules with atomic operations,
    /// so that the budget holds across a fleet.
    /// </summary>
    public interface IJiraGuardStore
    {
        /// <summary>The state of one account; callers keep the returned object and reuse it for every request.</summary>
        /// <param name="account">The account.</param>
        /// <returns>The account's state.</returns>
        IJiraGuardAccount GetAccount(JiraAccount account);
    }

    /// <summary>One account's guard state. Every operation is atomic; see <see cref="JiraGuardPolicy"/> for the rules.</summary>
    public interface IJiraGuardAccount
    {
        /// <summary>The account.</summary>
        JiraAccount Account { get; }

        /// <summary>
        /// What an operator runs to clear a trip of this account in this store, as the end of a sentence
        /// ("reset the guard ... (JiraLockoutGuard.ResetAsync)"); the guard's exceptions, logs and health check
        /// name it in their <c>Fix</c>. A store shared by processes must name a way that reaches all of them.
        /// </summary>
        string ResetInstructions { get; }

        /// <summary>
        /// An identifier of the token, equal for equal tokens (across processes, for a shared store), from
        /// which the token cannot be recovered: stores must not keep a token or a fast unsalted hash of it.
        /// </summary>
        /// <param name="secret">The token.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>The identifier.</returns>
        ValueTask<string> IdentifyTokenAsync(JiraSecret secret, CancellationToken cancellationToken);

        /// <summary>
        /// Decides whether a request with the token may start now: <see cref="JiraAdmissionDecision.Proceed"/> (it then
        /// counts as in flight), <see cref="JiraAdmissionDecision.Refuse"/>, or <see cref="JiraAdmissionDecision.Wait"/>:
        /// the store has queued the caller, first come first served, and <see cref="WaitAsync"/> gives its turn.
        /// </summary>
        /// <param name="tokenId">The token's identifier.</param>
        /// <param name="policy">The rules.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>The decision.</returns>
        ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, CancellationToken cancellationToken);

        /// <summary>
        /// Waits for the turn of a caller that <see cref="TryAdmitAsync"/> queued, and returns the decision then:
        /// <see cref="JiraAdmissionDecision.Proceed"/> or <see cref="JiraAdmissionDecision.Refuse"/>. A store wakes a
        /// waiting caller when a place is handed to it (or it will never get one), not on every change. When the
        /// wait is cancelled before the caller's turn, it throws and the caller's place is given up; a turn that came
        /// first is returned, and the caller gives it back (as <see cref="JiraAttemptOutcome.Inconclusive"/>).
        /// </summary>
        /// <param name="waiting">The <see cref="JiraAdmissionDecision.Wait"/> decision.</param>
        /// <param name="cancellationToken">Cancels the wait.</param>
        /// <returns>The decision.</returns>
        ValueTask<JiraAdmission> WaitAsync(JiraAdmission waiting, CancellationToken cancellationToken);

        /// <summary>Records the outcome of an admitted request and releases its place in flight.</summary>
        /// <param name="admission">The admission the request proceeded with.</param>
        /// <param name="outcome">What Jira's answer said.</param>
        /// <param name="policy">The rules.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>The state after the outcome, and whether this outcome changed what the account is.</returns>
        ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken);

        /// <summary>A snapshot of the state.</summary>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>The snapshot.</returns>
        ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken);

        /// <summary>
        /// Forgets the counted failures and the trip, after a person has made the account usable (signed in
        /// through the browser, changed the password). Quarantined tokens stay quarantined.
        /// </summary>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>A task.</returns>
        ValueTask ResetAsync(CancellationToken cancellationToken);
    }
}
