using Microsoft.CodeAnalysis;

namespace JiraConfigGen.Generator
{
    /// <summary>
    /// Every diagnostic the generator reports, and every sentence it says: the primary descriptor of each ID (listed in
    /// <see cref="All"/>), and the other sentences of an ID as variants with the same ID, title, severity and help link.
    /// Call sites pass only values (names, places, kinds), never wording. Each help link lands on the ID's section of the
    /// README; AnalyzerReleases.*.md track the IDs for release notes. The reasons an instanceUrl is invalid are the
    /// shared rule's own sentences (<c>InstanceUrlRules.Explain</c>), which the runtime's exceptions say too.
    /// </summary>
    internal static partial class DiagnosticDescriptors
    {
        public const string Category = "JiraConfigGen";
        public const string HelpLinkBase = "https://github.com/JiraConfigGen/JiraConfigGen/blob/main/README.md#";

        public static readonly DiagnosticDescriptor InvalidJson = Create(
            "JCG001",
            "The connections file is not valid JSON",
            "Unexpected {0} where a value was expected",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor DuplicateNickname = Create(
            "JCG002",
            "A nickname is used twice",
            "Nickname {0} repeats the nickname of the connection at {1}; nicknames must be unique (trimmed, case-insensitive): rename one of them",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor SchemeInInstanceUrl = Create(
            "JCG003",
            "instanceUrl includes a scheme",
            "Connection {0}: {1}",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor MissingApiToken = Create(
            "JCG004",
            "apiToken is missing",
            "Connection {0} has no apiToken{1}; say where the token lives, e.g. \"apiToken\": {{ \"env\": \"{2}\" }}",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor MissingRequiredValue = Create(
            "JCG005",
            "A required value is missing or blank",
            "Connection {0} has no nickname{1}; add \"nickname\" with a unique name such as \"Production\"",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidInstanceUrl = Create(
            "JCG006",
            "instanceUrl is not host[:port][/path]",
            "Connection {0}: {1}",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor TokenInFile = Create(
            "JCG007",
            "A token is written in the file",
            "Connection {0}: apiToken must not hold the token itself, which everyone who can read this file or its history can use; put it in an environment variable, user secrets or a secret file and reference it, e.g. \"apiToken\": {{ \"env\": \"{1}\" }}{2}",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidIdentifier = Create(
            "JCG008",
            "A nickname gives no usable C# identifier",
            "Connection {0}: the nickname gives the identifier '{1}', as {2} at {3} does; rename one of them",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor UnknownProperty = Create(
            "JCG009",
            "Unknown property",
            "Unknown property \"{0}\" in {1} is ignored{2}",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor InvalidValue = Create(
            "JCG010",
            "A property has the wrong type or value",
            "{0}: \"{1}\" must be a string, not {2}",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor SharedAccountDifferentTokens = Create(
            "JCG011",
            "Connections share a Jira account with different tokens",
            "Connections {0} and {1} both sign in as '{2}' at '{3}' but with different tokens ({4} and {5}); Jira locks the account after 4 calls with a wrong token, so a stale token in one locks out both: reference the same token from both, or use separate accounts",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor TooManyWebhooks = Create(
            "JCG012",
            "Too many admin webhooks for one instance",
            "The connections to '{0}' declare {1} admin webhooks in all; Jira allows at most 100 active admin webhooks per instance (since 2 January 2024): lower \"webhooks\", or spread them over instances",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor CloudUsernameNotEmail = Create(
            "JCG013",
            "Atlassian Cloud basic auth needs an email address",
            "Connection {0}: Atlassian Cloud ('{1}') signs API calls in with the account's email address and an API token, but username '{2}' is not an email address; write the account's email address",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor NoConnections = Create(
            "JCG014",
            "The file declares no connections",
            "{0} declares no connections; add one to \"connections\", or delete the file",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor InvalidTypeName = Create(
            "JCG015",
            "Invalid or conflicting namespace or className",
            "\"{0}\" '{1}' cannot be used: {2}; write {3}, or remove it to use the default",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidBuildOption = Create(
            "JCG016",
            "A JiraConfigGen build property has an invalid value",
            "The MSBuild property {0} is '{1}', which JiraConfigGen does not know; use {2}, or remove the property",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InternalError = Create(
            "JCG017",
            "JiraConfigGen failed on a connections file",
            "JiraConfigGen failed ({0}) on {1}; this is a bug in JiraConfigGen, not in your files: please report it at https://github.com/JiraConfigGen/JiraConfigGen/issues with this message, which gives their shape and none of their content",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor[] All =
        {
            InvalidJson, DuplicateNickname, SchemeInInstanceUrl, MissingApiToken, MissingRequiredValue,
            InvalidInstanceUrl, TokenInFile, InvalidIdentifier, UnknownProperty, InvalidValue,
            SharedAccountDifferentTokens, TooManyWebhooks, CloudUsernameNotEmail, NoConnections, InvalidTypeName,
            InvalidBuildOption, InternalError,
        };

        private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
            new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

        /// <summary>Another sentence of <paramref name="primary"/>'s diagnostic: the same ID, title, severity and help link.</summary>
        private static DiagnosticDescriptor Variant(DiagnosticDescriptor primary, string message) =>
            Create(primary.Id, primary.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), message, primary.DefaultSeverity);
    }
}
