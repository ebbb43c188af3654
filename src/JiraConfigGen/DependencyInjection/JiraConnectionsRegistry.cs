using System.Collections.Generic;

namespace JiraConfigGen
{
    /// <summary>
    /// The connections <c>AddJiraConnections</c> registered, as options: unnamed, every connection of every call
    /// (the health check's list); named after a Jira client, that client's connection (the guard filter's).
    /// </summary>
    internal sealed class JiraConnectionsRegistry
    {
        private readonly List<JiraConnection> _connections = new();

        public IReadOnlyList<JiraConnection> Connections => _connections;

        public void Add(IEnumerable<JiraConnection> connections) => _connections.AddRange(connections);
    }
}
