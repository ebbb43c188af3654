using System;
using JiraConfigGen.Shared;

namespace JiraConfigGen
{
    /// <summary>
    /// The Jira account a connection authenticates as: an instance and a user name. Jira counts failed
    /// logins per account, so the lockout guard keeps one state per account, shared by every connection and
    /// client that signs in as it. Two accounts are the same when their instances are one Jira however
    /// written (host case-insensitive and without a trailing dot, IP literals as addresses, the scheme's
    /// default port, the same context path) and their user names match case-insensitively: the rule the
    /// generator's JCG011 and JCG012 use too.
    /// </summary>
    public readonly struct JiraAccount : IEquatable<JiraAccount>
    {
        private readonly string? _key;

        /// <summary>Creates an account key.</summary>
        /// <param name="instance">The instance, as <c>host[:port][/context-path]</c>.</param>
        /// <param name="username">The user name; for a bearer token declared without one, a name derived from the token's reference.</param>
        public JiraAccount(string instance, string username)
        {
            Instance = instance ?? throw new ArgumentNullException(nameof(instance));
            Username = username ?? throw new ArgumentNullException(nameof(username));
            _key = JiraIdentity.AccountKey(instance, username);
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

        /// <summary>
        /// The account's identity, equal for every spelling of it and stable across processes (stores key their
        /// state by it): the canonical instance (<c>jira.example.com</c>, <c>127.0.0.1:8080/jira</c>), a bar, and
        /// the user name trimmed and upper-cased (invariant).
        /// </summary>
        public string Key => _key ?? string.Empty;

        /// <inheritdoc />
        public bool Equals(JiraAccount other) => string.Equals(Key, other.Key, StringComparison.Ordinal);

        /// <inheritdoc />
        public override bool Equals(object? obj) => obj is JiraAccount other && Equals(other);

        /// <inheritdoc />
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

        /// <summary><c>automation@contoso.com at contoso.atlassian.net</c>.</summary>
        /// <returns>The user name and the instance.</returns>
        public override string ToString() => Username + " at " + Instance;

        /// <summary>Whether two accounts are one (see <see cref="Key"/>).</summary>
        /// <param name="left">One account.</param>
        /// <param name="right">The other.</param>
        /// <returns>Whether they are the same account.</returns>
        public static bool operator ==(JiraAccount left, JiraAccount right) => left.Equals(right);

        /// <summary>Whether two accounts differ (see <see cref="Key"/>).</summary>
        /// <param name="left">One account.</param>
        /// <param name="right">The other.</param>
        /// <returns>Whether they are different accounts.</returns>
        public static bool operator !=(JiraAccount left, JiraAccount right) => !left.Equals(right);
    }
}
