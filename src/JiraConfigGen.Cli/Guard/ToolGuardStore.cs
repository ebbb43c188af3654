using System.Threading;
using System.Threading.Tasks;

namespace JiraConfigGen.Cli.Guard;

/// <summary>
/// The guard's store for a <c>check</c> run: the runtime's store (in memory, or Redis), whose trips this tool
/// clears with its own command, so the <c>Fix</c> of every refusal names that command.
/// </summary>
internal sealed class ToolGuardStore(IJiraGuardStore inner, string resetCommand) : IJiraGuardStore
{
    public IJiraGuardAccount GetAccount(JiraAccount account) => new GuardedAccount(inner.GetAccount(account), resetCommand, account);

    /// <summary>The inner account, with reset instructions that name the tool's command for it.</summary>
    private sealed class GuardedAccount(IJiraGuardAccount inner, string resetCommand, JiraAccount account) : IJiraGuardAccount
    {
        public JiraAccount Account => inner.Account;

        public string ResetInstructions { get; } = $"clear the trip: {resetCommand} --account \"{account.Instance}/{account.Username}\"";

        public ValueTask<string> IdentifyTokenAsync(JiraSecret secret, CancellationToken cancellationToken) => inner.IdentifyTokenAsync(secret, cancellationToken);

        public ValueTask<JiraAdmission> TryAdmitAsync(string tokenId, JiraGuardPolicy policy, CancellationToken cancellationToken) => inner.TryAdmitAsync(tokenId, policy, cancellationToken);

        public ValueTask<JiraAdmission> WaitAsync(JiraAdmission waiting, CancellationToken cancellationToken) => inner.WaitAsync(waiting, cancellationToken);

        public ValueTask<JiraGuardStatus> CompleteAsync(JiraAdmission admission, JiraAttemptOutcome outcome, JiraGuardPolicy policy, CancellationToken cancellationToken) =>
            inner.CompleteAsync(admission, outcome, policy, cancellationToken);

        public ValueTask<JiraGuardStatus> GetStatusAsync(CancellationToken cancellationToken) => inner.GetStatusAsync(cancellationToken);

        public ValueTask ResetAsync(CancellationToken cancellationToken) => inner.ResetAsync(cancellationToken);
    }
}
