using System;

namespace JiraConfigGen
{
    /// <summary>
    /// The Jira account a connection authenticates as: an instance and a user name, compared
    /// case-insensitively. Jira counts failed logins per account, so the lockout guard keeps one
    /// state per account, shared by every connection and client that signs in as it.
    /// </summary>
    public readonly struct JiraAccount : IEquatable<JiraAccount>
    {
        /// <summary>Creates an account key.</summary>
        /// <param name="instance">The instance, as <c>host[:port][/context-path]</c>.</param>
        /// <param name="username">The user name; for a bearer token declared without one, a name derived from the token's reference.</param>
        public JiraAccount(string instance, string username)
        {
            Instance = instance ?? throw new ArgumentNullException(nameof(instance));
            Username = username ?? throw new ArgumentNullException(nameof(username));
        }

        /// <summary>The instance, as declared.</summary>
        public string Instance { get; }

        /// <summary>The user name, as declared.</summary>
        public string Username { get; }

        /// <summary>The account of a connection: its instance and username, or for a bearer token without a username, <c>token:</c> and the token's reference (each such token is its own account).</summary>
        /// <param name="connection">The connection.</param>
        /// <returns>The account.</returns>
        public static JiraAccount Of(JiraConnection connection)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            return new JiraAccount(connection.InstanceUrl, connection.Username ?? "token:" + connection.ApiToken);
        }

        /// <summary>A stable key for stores: the instance and user name, upper-cased (invariant), joined by a bar.</summary>
        public string Key => (Instance + "|" + Username).ToUpperInvariant();

        /// <inheritdoc />
        public bool Equals(JiraAccount other) =>
            string.Equals(Instance, other.Instance, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(Username, other.Username, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is JiraAccount other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() =>
            (StringComparer.OrdinalIgnoreCase.GetHashCode(Instance ?? string.Empty) * 397) ^ StringComparer.OrdinalIgnoreCase.GetHashCode(Username ?? string.Empty);

        /// <summary><c>automation@contoso.com at contoso.atlassian.net</c>.</summary>
        /// <returns>The user name and the instance.</returns>
        public override string ToString() => Username + " at " + Instance;

        /// <summary>Compares two accounts case-insensitively.</summary>
        /// <param name="left">One account.</param>
        /// <param name="right">The other.</param>
        /// <returns>Whether they are the same account.</returns>
        public static bool operator ==(JiraAccount left, JiraAccount right) => left.Equals(right);

        /// <summary>Compares two accounts case-insensitively.</summary>
        /// <param name="left">One account.</param>
        /// <param name="right">The other.</param>
        /// <returns>Whether they are different accounts.</returns>
        public static bool operator !=(JiraAccount left, JiraAccount right) => !left.Equals(right);
    }
}
