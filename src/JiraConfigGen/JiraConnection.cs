using System;
using JiraConfigGen.Shared;

namespace JiraConfigGen
{
    /// <summary>
    /// One Jira connection as declared in <c>jira-connections.json</c>: who to connect as, where, and
    /// where the token lives. Immutable, and never holds a secret value: the token is resolved at run
    /// time from <see cref="ApiToken"/>.
    /// </summary>
    public sealed class JiraConnection
    {
        /// <summary>Creates a connection, checking the same rules as the source generator.</summary>
        /// <param name="nickname">The unique name of the connection.</param>
        /// <param name="username">The account's user name (an email address on Atlassian Cloud); required for <see cref="JiraAuthKind.Basic"/>.</param>
        /// <param name="instanceUrl">The instance as <c>host[:port][/context-path]</c>, without a scheme.</param>
        /// <param name="apiToken">Where the token lives.</param>
        /// <param name="auth">How the connection authenticates.</param>
        /// <param name="description">What the connection is for, if declared.</param>
        /// <param name="events">Whether the connection is used for event cards (which need the Administer Jira global permission).</param>
        /// <param name="webhooks">How many admin webhooks the connection registers.</param>
        /// <exception cref="ArgumentException">A value breaks a rule of the connections file; the message says which and how to fix it.</exception>
        public JiraConnection(
            string nickname,
            string? username,
            string instanceUrl,
            JiraSecretReference apiToken,
            JiraAuthKind auth = JiraAuthKind.Basic,
            string? description = null,
            bool events = false,
            int webhooks = 0)
        {
            if (nickname is null || nickname.Trim().Length == 0)
            {
                throw new ArgumentException("A Jira connection needs a non-blank nickname.", nameof(nickname));
            }

            InstanceUrlProblem problem = InstanceUrlRules.Parse(instanceUrl, out InstanceUrlParts parts);
            if (problem != InstanceUrlProblem.None)
            {
                throw new ArgumentException($"Jira connection '{MessageText.Quote(nickname)}': {InstanceUrlRules.Explain(problem, instanceUrl)}.", nameof(instanceUrl));
            }

            if (auth == JiraAuthKind.Basic && (username is null || username.Trim().Length == 0))
            {
                throw new ArgumentException($"Jira connection '{MessageText.Quote(nickname)}' uses basic authentication and needs a username (the account's email address on Atlassian Cloud).", nameof(username));
            }

            if (auth is not (JiraAuthKind.Basic or JiraAuthKind.Bearer))
            {
                throw new ArgumentOutOfRangeException(nameof(auth), auth, $"Jira connection '{MessageText.Quote(nickname)}': auth must be Basic or Bearer.");
            }

            if (webhooks < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(webhooks), webhooks, $"Jira connection '{MessageText.Quote(nickname)}': webhooks must not be negative.");
            }

            Nickname = nickname;
            Username = username;
            InstanceUrl = instanceUrl;
            ApiToken = apiToken ?? throw new ArgumentNullException(nameof(apiToken));
            Auth = auth;
            Description = description;
            Events = events;
            Webhooks = webhooks;
            BaseAddress = new Uri((parts.IsLoopback ? "http://" : "https://") + instanceUrl + "/", UriKind.Absolute);
            IsCloud = InstanceUrlRules.IsCloudHost(parts.Host);
            Account = JiraAccount.Of(this);
        }

        /// <summary>The unique name of the connection, as declared.</summary>
        public string Nickname { get; }

        /// <summary>The account's user name (an email address on Atlassian Cloud), or <see langword="null"/> for a bearer token declared without one.</summary>
        public string? Username { get; }

        /// <summary>The instance as declared: <c>host[:port][/context-path]</c>, without a scheme.</summary>
        public string InstanceUrl { get; }

        /// <summary>
        /// The root of the instance with a trailing slash: <c>https://</c> + <see cref="InstanceUrl"/>,
        /// or <c>http://</c> for a loopback host (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>[::1]</c>) so a local emulator works.
        /// </summary>
        public Uri BaseAddress { get; }

        /// <summary>Whether the instance is on Atlassian Cloud (<c>*.atlassian.net</c>, <c>*.jira.com</c>), which serves REST API v3.</summary>
        public bool IsCloud { get; }

        /// <summary>The account this connection signs in as; the lockout guard keeps one state per account.</summary>
        public JiraAccount Account { get; }

        /// <summary>Where the token lives; never the token.</summary>
        public JiraSecretReference ApiToken { get; }

        /// <summary>How the connection authenticates.</summary>
        public JiraAuthKind Auth { get; }

        /// <summary>What the connection is for, if declared.</summary>
        public string? Description { get; }

        /// <summary>Whether the connection is used for event cards, which need the Administer Jira global permission.</summary>
        public bool Events { get; }

        /// <summary>How many admin webhooks the connection registers (Jira allows 100 per instance).</summary>
        public int Webhooks { get; }

        /// <summary>
        /// The same connection pointed at another instance, e.g. a local emulator or a staging copy;
        /// everything else, the token reference included, is kept.
        /// </summary>
        /// <param name="instanceUrl">The other instance, as <c>host[:port][/context-path]</c>.</param>
        /// <returns>A new connection.</returns>
        public JiraConnection WithInstanceUrl(string instanceUrl) =>
            new(Nickname, Username, instanceUrl, ApiToken, Auth, Description, Events, Webhooks);

        /// <summary>The nickname, the account and the instance, e.g. <c>Production (automation@contoso.com at contoso.atlassian.net)</c>. Never a secret.</summary>
        /// <returns>A description of the connection.</returns>
        public override string ToString() =>
            Username is null
                ? $"{Nickname} (bearer token at {InstanceUrl})"
                : $"{Nickname} ({Username} at {InstanceUrl})";
    }
}
