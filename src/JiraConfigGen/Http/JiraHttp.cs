using System;
using System.Net.Http;

namespace JiraConfigGen
{
    /// <summary>Names and helpers for the HTTP clients of Jira connections.</summary>
    public static class JiraHttp
    {
        /// <summary>The prefix of the named <c>HttpClient</c>s that <c>AddJiraConnections</c> registers.</summary>
        public const string ClientNamePrefix = "JiraConfigGen:";

        /// <summary>The name of the connection's <c>HttpClient</c> in <see cref="IHttpClientFactory"/>: <c>JiraConfigGen:</c> and the nickname.</summary>
        /// <param name="connection">The connection.</param>
        /// <returns>The client name.</returns>
        public static string ClientName(JiraConnection connection) =>
            ClientNamePrefix + (connection ?? throw new ArgumentNullException(nameof(connection))).Nickname;

        /// <summary>The connection's client: base address, Authorization header and lockout guard included.</summary>
        /// <param name="factory">The application's client factory (after <c>AddJiraConnections</c>).</param>
        /// <param name="connection">A registered connection.</param>
        /// <returns>The client; do not dispose it (the factory owns its handlers).</returns>
        public static HttpClient CreateJiraClient(this IHttpClientFactory factory, JiraConnection connection) =>
            (factory ?? throw new ArgumentNullException(nameof(factory))).CreateClient(ClientName(connection));
    }
}
