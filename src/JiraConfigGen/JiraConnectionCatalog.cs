using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using JiraConfigGen.Shared;

namespace JiraConfigGen
{
    /// <summary>
    /// The connections of one generated class, in declaration order, looked up by nickname (trimmed,
    /// case-insensitive). The generated <c>All</c>, <c>Get</c> and <c>TryGet</c> members use it.
    /// </summary>
    public sealed class JiraConnectionCatalog
    {
        private const int NamesShownInErrors = 20;
        private readonly Dictionary<string, JiraConnection> _byNickname;

        /// <summary>Creates a catalog of <paramref name="connections"/>.</summary>
        /// <param name="connections">The connections in declaration order; nicknames must be unique (trimmed, case-insensitive).</param>
        /// <exception cref="ArgumentException">Two connections share a nickname.</exception>
        public JiraConnectionCatalog(IEnumerable<JiraConnection> connections)
        {
            if (connections is null)
            {
                throw new ArgumentNullException(nameof(connections));
            }

            JiraConnection[] all = connections.ToArray();
            _byNickname = new Dictionary<string, JiraConnection>(all.Length, StringComparer.OrdinalIgnoreCase);
            foreach (JiraConnection connection in all)
            {
                if (connection is null)
                {
                    throw new ArgumentException("The connections must not contain null.", nameof(connections));
                }

                string key = connection.Nickname.Trim();
                if (_byNickname.ContainsKey(key))
                {
                    throw new ArgumentException($"Two Jira connections are named '{key}'; nicknames must be unique (trimmed, case-insensitive).", nameof(connections));
                }

                _byNickname.Add(key, connection);
            }

            All = new ReadOnlyCollection<JiraConnection>(all);
        }

        /// <summary>Every connection, in declaration order.</summary>
        public IReadOnlyList<JiraConnection> All { get; }

        /// <summary>Finds the connection named <paramref name="nickname"/> (trimmed, case-insensitive).</summary>
        /// <param name="nickname">The nickname to look for.</param>
        /// <param name="connection">The connection, when found.</param>
        /// <returns>Whether a connection has that nickname.</returns>
        public bool TryGet(string nickname, [MaybeNullWhen(false)] out JiraConnection connection)
        {
            if (nickname is null)
            {
                connection = null;
                return false;
            }

            return _byNickname.TryGetValue(nickname.Trim(), out connection);
        }

        /// <summary>Gets the connection named <paramref name="nickname"/> (trimmed, case-insensitive).</summary>
        /// <param name="nickname">The nickname to look for.</param>
        /// <returns>The connection.</returns>
        /// <exception cref="KeyNotFoundException">No connection has that nickname; the message lists the known ones.</exception>
        public JiraConnection Get(string nickname)
        {
            if (nickname is null)
            {
                throw new ArgumentNullException(nameof(nickname));
            }

            if (TryGet(nickname, out JiraConnection? connection))
            {
                return connection;
            }

            throw new KeyNotFoundException($"No Jira connection is named '{MessageText.Quote(nickname.Trim())}'. {DescribeKnown()}");
        }

        private string DescribeKnown()
        {
            if (All.Count == 0)
            {
                return "No connections are declared: add them to jira-connections.json.";
            }

            string shown = string.Join(", ", All.Take(NamesShownInErrors).Select(c => MessageText.Quote(c.Nickname)));
            return All.Count <= NamesShownInErrors
                ? $"Known connections: {shown}."
                : $"Known connections: {shown} and {All.Count - NamesShownInErrors} more.";
        }
    }
}
