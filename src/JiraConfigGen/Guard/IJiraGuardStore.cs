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

        /// <summary>Decides whether a request with the token may start now; when it proceeds, it counts as in flight.</summary>
        /// <param name="tokenId">The token's identifier.</param>
        /// <param name="policy">The rules.</param>
        /// <param name="waiting">
        /// The <see cref="JiraAdmissionDecision.Wait"/> this caller got before, if any: a store that queues waiters
        /// (for fairness across processes) finds the caller's place by it.
        /// </param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>The decision.</returns>
        ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, JiraAdmission? waiting, CancellationToken cancellationToken);

        /// <summary>Records the outcome of an admitted request and releases its place in flight.</summary>
        /// <param name="admission">The admission the request proceeded with.</param>
        /// <param name="outcome">What Jira's answer said.</param>
        /// <param name="policy">The rules.</param>
        /// <param name="cancellationToken">Cancels the call.</param>
        /// <returns>The state after the outcome, and whether this outcome changed what the account is.</returns>
        ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken);

        /// <summary>
        /// Returns when the state may have changed since <paramref name="waiting"/> was decided (at once if it
        /// already has), or after <paramref name="maxWait"/>. When the wait is cancelled it throws, and a store that
        /// queues waiters gives the caller's place up.
        /// </summary>
        /// <param name="waiting">The <see cref="JiraAdmissionDecision.Wait"/> decision; its ticket is the state's version then.</param>
        /// <param name="maxWait">The longest wait.</param>
        /// <param name="cancellationToken">Cancels the wait.</param>
        /// <returns>A task.</returns>
        Task WaitForChangeAsync(JiraAdmission waiting, TimeSpan maxWait, CancellationToken cancellationToken);

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
