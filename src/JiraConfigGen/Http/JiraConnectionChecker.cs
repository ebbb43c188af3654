using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace JiraConfigGen
{
    /// <summary>What a connection check found: who the connection signs in as, or exactly why it cannot.</summary>
    public sealed class JiraConnectionCheckResult
    {
        internal JiraConnectionCheckResult(JiraConnection connection, bool succeeded, string? problem, JsonElement? myself = null, bool? canAdminister = null)
        {
            Connection = connection;
            Succeeded = succeeded;
            Problem = problem;
            CanAdministerJira = canAdminister;
            if (myself is { ValueKind: JsonValueKind.Object } me)
            {
                DisplayName = Read(me, "displayName");
                AccountId = Read(me, "accountId");
                Username = Read(me, "name");
                EmailAddress = Read(me, "emailAddress");
            }
        }

        /// <summary>The connection checked.</summary>
        public JiraConnection Connection { get; }

        /// <summary>Whether the connection signs in (and, with <c>events: true</c>, has the Administer Jira permission).</summary>
        public bool Succeeded { get; }

        /// <summary>The display name of the account the connection signs in as.</summary>
        public string? DisplayName { get; }

        /// <summary>The account id (Atlassian Cloud).</summary>
        public string? AccountId { get; }

        /// <summary>The user name (Jira Data Center).</summary>
        public string? Username { get; }

        /// <summary>The account's email address, when Jira shows it.</summary>
        public string? EmailAddress { get; }

        /// <summary>Whether the account has the Administer Jira global permission; null when not checked (<c>events: false</c>).</summary>
        public bool? CanAdministerJira { get; }

        /// <summary>Why the check failed, with the fix; null when it succeeded.</summary>
        public string? Problem { get; }

        /// <summary>One line: the nickname, then who it signs in as, or the problem.</summary>
        /// <returns>The summary.</returns>
        public override string ToString()
        {
            if (!Succeeded)
            {
                return $"{Connection.Nickname}: FAILED: {Problem}";
            }

            string who = DisplayName ?? Username ?? AccountId ?? "an unnamed account";
            string email = EmailAddress is null ? string.Empty : $" <{EmailAddress}>";
            string admin = CanAdministerJira == true ? ", with Administer Jira" : string.Empty;
            return $"{Connection.Nickname}: OK, signs in as {who}{email}{admin}";
        }

        private static string? Read(JsonElement element, string property) =>
            element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>
    /// Checks connections the way Jira's own credential test does: <c>GET /rest/api/3/myself</c> (Cloud) or
    /// <c>/rest/api/2/myself</c> (Data Center, bearer) through the guard, then, for <c>events: true</c>,
    /// <c>mypermissions?permissions=ADMINISTER</c>.
    /// </summary>
    public sealed class JiraConnectionChecker
    {
        private readonly Func<JiraConnection, HttpClient> _clientFor;

        /// <summary>Checks through the clients that <c>AddJiraConnections</c> registered.</summary>
        /// <param name="factory">The application's client factory.</param>
        public JiraConnectionChecker(IHttpClientFactory factory)
            : this(connection => factory.CreateJiraClient(connection))
        {
        }

        /// <summary>Checks through the clients <paramref name="clientFor"/> gives (e.g. <see cref="JiraClientFactory.CreateClient"/>).</summary>
        /// <param name="clientFor">The guarded client of a connection.</param>
        public JiraConnectionChecker(Func<JiraConnection, HttpClient> clientFor) =>
            _clientFor = clientFor ?? throw new ArgumentNullException(nameof(clientFor));

        /// <summary>Checks one connection. Never throws for a connection problem: the result says what it is.</summary>
        /// <param name="connection">The connection.</param>
        /// <param name="cancellationToken">Cancels the check.</param>
        /// <returns>Who the connection signs in as, or why it cannot.</returns>
        public async Task<JiraConnectionCheckResult> CheckAsync(JiraConnection connection, CancellationToken cancellationToken = default)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            string api = connection.IsCloud && connection.Auth == JiraAuthKind.Basic ? "rest/api/3/" : "rest/api/2/";
            HttpClient client = _clientFor(connection);
            try
            {
                (JsonElement? myself, string? problem) = await GetJsonAsync(client, api + "myself", connection, cancellationToken).ConfigureAwait(false);
                if (myself is null || !connection.Events)
                {
                    return new JiraConnectionCheckResult(connection, problem is null, problem, myself);
                }

                (JsonElement? permissions, problem) = await GetJsonAsync(client, api + "mypermissions?permissions=ADMINISTER", connection, cancellationToken).ConfigureAwait(false);
                bool canAdminister = permissions is { } p
                    && p.TryGetProperty("permissions", out JsonElement all)
                    && all.TryGetProperty("ADMINISTER", out JsonElement administer)
                    && administer.TryGetProperty("havePermission", out JsonElement have)
                    && have.ValueKind == JsonValueKind.True;
                problem ??= canAdminister ? null : "the account signs in but lacks the 'Administer Jira' global permission that event cards need (\"events\": true); grant it, or set \"events\": false";
                return new JiraConnectionCheckResult(connection, problem is null, problem, myself, canAdminister);
            }
            catch (Exception e) when (e is JiraSecretUnavailableException or JiraAuthenticationException or JiraLockoutPreventedException)
            {
                return new JiraConnectionCheckResult(connection, false, e.Message);
            }
            catch (HttpRequestException e)
            {
                return new JiraConnectionCheckResult(connection, false, $"{connection.BaseAddress} could not be reached ({e.Message}); check instanceUrl and the network");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new JiraConnectionCheckResult(connection, false, $"{connection.BaseAddress} did not answer in time ({client.Timeout.TotalSeconds:0} s); check instanceUrl and the network");
            }
        }

        /// <summary>The answer's JSON, or why there is none.</summary>
        private static async Task<(JsonElement? Json, string? Problem)> GetJsonAsync(HttpClient client, string path, JiraConnection connection, CancellationToken cancellationToken)
        {
            using HttpResponseMessage response = await client.GetAsync(path, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return (null, status switch
                {
                    404 => $"{connection.BaseAddress}{path} was not found (404); check instanceUrl and its context path",
                    403 => $"Jira refused access to {path} (403); the account may be deactivated or lack a permission",
                    429 or 503 => $"Jira is rate-limiting or unavailable ({status}); try again later",
                    _ => $"Jira answered {status} {response.ReasonPhrase} to {path}",
                });
            }

#if NET8_0_OR_GREATER
            using System.IO.Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
            using System.IO.Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
            try
            {
                using JsonDocument document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
                return (document.RootElement.Clone(), null);
            }
            catch (JsonException)
            {
                return (null, $"{connection.BaseAddress}{path} answered with something that is not Jira's JSON; check that instanceUrl (with its context path) points at Jira");
            }
        }
    }
}
