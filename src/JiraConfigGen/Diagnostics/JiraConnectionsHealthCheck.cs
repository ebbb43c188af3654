using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using JiraConfigGen;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace JiraConfigGen
{
    /// <summary>
    /// The lockout guard's view of each Jira account, as a health check: an account the guard tripped is
    /// Unhealthy (the registration's failure status) with the reason and the fix; an account with failed
    /// attempts counted since its last success, or a shared guard store (Redis) that cannot be reached, is
    /// Degraded; otherwise Healthy. It sends nothing to Jira. Register it with
    /// <c>services.AddHealthChecks().AddJiraConnectionsHealthCheck()</c>.
    /// </summary>
    public sealed class JiraConnectionsHealthCheck : IHealthCheck
    {
        private readonly JiraLockoutGuard _guard;
        private readonly IGrouping<JiraAccount, JiraConnection>[] _accounts;

        /// <summary>Creates the check.</summary>
        /// <param name="guard">The guard whose state is reported.</param>
        /// <param name="connections">The connections to report on, grouped here by account.</param>
        public JiraConnectionsHealthCheck(JiraLockoutGuard guard, IEnumerable<JiraConnection> connections)
        {
            _guard = guard ?? throw new ArgumentNullException(nameof(guard));
            _accounts = (connections ?? throw new ArgumentNullException(nameof(connections))).GroupBy(c => c.Account).ToArray();
        }

        /// <inheritdoc />
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            HealthStatus failure = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
            HealthStatus worst = HealthStatus.Healthy;
            var problems = new List<string>();
            var data = new Dictionary<string, object>(StringComparer.Ordinal);
            int max = _guard.Policy.MaxFailedAttempts;
            foreach (IGrouping<JiraAccount, JiraConnection> account in _accounts)
            {
                JiraGuardStatus status = await _guard.GetStatusAsync(account.Key, cancellationToken).ConfigureAwait(false);
                string connections = string.Join(", ", account.Select(c => "'" + c.Nickname + "'"));
                string tokens = string.Join(", ", account.Select(c => c.ApiToken.ToString()).Distinct(StringComparer.Ordinal));
                data[account.Key.ToString()] = status.ToString();
                if (status.Tripped != JiraLockoutReason.None)
                {
                    worst = Worse(worst, failure);
                    string what = status.Tripped == JiraLockoutReason.AccountLocked
                        ? "Jira reports the account locked"
                        : JiraGuardMessages.Count(status.FailedAttempts, max) + " reached Jira since the last success";
                    problems.Add($"{account.Key} (connections {connections}): the guard refuses every call: {what}. Fix: {JiraGuardMessages.Fix(account.Key, tokens, status.Tripped, _guard.GetAccount(account.Key).ResetInstructions)}");
                }
                else if (status.IsStoreUnavailable)
                {
                    worst = Worse(worst, HealthStatus.Degraded);
                    problems.Add($"{account.Key} (connections {connections}): the shared guard store (Redis) cannot be reached; calls follow its outage mode. Fix: {JiraGuardMessages.Fix(account.Key, tokens, JiraLockoutReason.StoreUnavailable, null)}");
                }
                else if (status.FailedAttempts > 0)
                {
                    worst = Worse(worst, HealthStatus.Degraded);
                    problems.Add($"{account.Key} (connections {connections}): {JiraGuardMessages.Count(status.FailedAttempts, max)} spent since the last success (rejected tokens, now quarantined, or requests whose answer never came); a success clears them. If calls keep failing: {JiraGuardMessages.Fix(account.Key, tokens, JiraLockoutReason.TokenRejected, null)}");
                }
            }

            string description = problems.Count == 0
                ? string.Format(CultureInfo.InvariantCulture, "{0} Jira account(s): no failed attempts counted, none tripped.", _accounts.Length)
                : string.Join(Environment.NewLine, problems);
            return new HealthCheckResult(worst, description, data: data);
        }

        /// <summary>The worse of two statuses (Unhealthy &lt; Degraded &lt; Healthy).</summary>
        private static HealthStatus Worse(HealthStatus current, HealthStatus candidate) => (HealthStatus)Math.Min((int)current, (int)candidate);
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers the Jira connections' health check.</summary>
    public static class JiraHealthChecksBuilderExtensions
    {
        /// <summary>
        /// Adds <see cref="JiraConnectionsHealthCheck"/> over every connection registered with <c>AddJiraConnections</c>:
        /// Unhealthy (or <paramref name="failureStatus"/>) for an account the lockout guard tripped, with the reason and
        /// the fix; Degraded while failed attempts are counted or the shared guard store cannot be reached.
        /// </summary>
        /// <param name="builder">The health checks builder.</param>
        /// <param name="name">The check's name (default <c>jira-connections</c>).</param>
        /// <param name="failureStatus">The status of a tripped account; Unhealthy when null.</param>
        /// <param name="tags">Tags, e.g. <c>ready</c>.</param>
        /// <returns>The builder.</returns>
        public static IHealthChecksBuilder AddJiraConnectionsHealthCheck(this IHealthChecksBuilder builder, string name = "jira-connections", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
        {
            if (builder is null)
            {
                throw new ArgumentNullException(nameof(builder));
            }

            return builder.Add(new HealthCheckRegistration(
                name,
                services => new JiraConnectionsHealthCheck(
                    services.GetRequiredService<JiraLockoutGuard>(),
                    services.GetRequiredService<IOptions<JiraConnectionsRegistry>>().Value.Connections),
                failureStatus,
                tags));
        }
    }
}
