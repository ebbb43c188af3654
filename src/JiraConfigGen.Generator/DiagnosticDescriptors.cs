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
    internal static class DiagnosticDescriptors
    {
        public const string Category = "JiraConfigGen";
        /// <summary>
        /// The README of the release this generator belongs to (its tag, <c>v1.0.0</c>), so a help link shows the rules of the
        /// version in use, not those of the newest commit.
        /// </summary>
        public static readonly string HelpLinkBase = "https://github.com/JiraConfigGen/JiraConfigGen/blob/" + ReleaseTag() + "/README.md#";

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

        // The other sentences of each ID. They come after the primaries they copy: static fields are initialised in
        // the order they are written, within one file.
        // JCG001: the JSON reader's syntax errors, then the shape of the root.
        public static readonly DiagnosticDescriptor TextAfterRoot = Variant(InvalidJson, "Unexpected {0} after the end of the root value; a file holds exactly one JSON object");
        public static readonly DiagnosticDescriptor EmptyFile = Variant(InvalidJson, "The file is empty; write an object such as {{ \"connections\": [ ... ] }}");
        public static readonly DiagnosticDescriptor EndWhereValueExpected = Variant(InvalidJson, "The file ends where a value was expected");
        public static readonly DiagnosticDescriptor NestedTooDeep = Variant(InvalidJson, "The JSON nests deeper than {0} levels; a connections file needs no more than 4");
        public static readonly DiagnosticDescriptor SingleQuotedString = Variant(InvalidJson, "Strings must be in double quotes (\"), not single quotes");
        public static readonly DiagnosticDescriptor EndInsideObject = Variant(InvalidJson, "The file ends inside an object; a '}}' is missing");
        public static readonly DiagnosticDescriptor SingleQuotedName = Variant(InvalidJson, "Property names must be in double quotes (\"), not single quotes");
        public static readonly DiagnosticDescriptor PropertyNameExpected = Variant(InvalidJson, "Expected a property name in double quotes or '}}', found {0}");
        public static readonly DiagnosticDescriptor ColonExpected = Variant(InvalidJson, "Expected ':' after the property name \"{0}\", found {1}");
        public static readonly DiagnosticDescriptor CommaOrBraceExpected = Variant(InvalidJson, "Expected ',' or '}}' after the value of \"{0}\", found {1}");
        public static readonly DiagnosticDescriptor EndInsideArray = Variant(InvalidJson, "The file ends inside an array; a ']' is missing");
        public static readonly DiagnosticDescriptor CommaOrBracketExpected = Variant(InvalidJson, "Expected ',' or ']' after an array item, found {0}");
        public static readonly DiagnosticDescriptor StringBrokenByLine = Variant(InvalidJson, "A string does not end before the line does; close it with '\"' or write a line break as \\n");
        public static readonly DiagnosticDescriptor ControlCharacterInString = Variant(InvalidJson, "A string contains the control character {0}; write it as an escape such as \\u{1}");
        public static readonly DiagnosticDescriptor StringNeverClosed = Variant(InvalidJson, "A string is never closed; add the missing '\"'");
        public static readonly DiagnosticDescriptor EndInsideEscape = Variant(InvalidJson, "The file ends inside an escape sequence");
        public static readonly DiagnosticDescriptor ShortUnicodeEscape = Variant(InvalidJson, "\\u must be followed by four hexadecimal digits");
        public static readonly DiagnosticDescriptor UnknownEscape = Variant(InvalidJson, "'\\{0}' is not a JSON escape; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
        public static readonly DiagnosticDescriptor NoDigitsAfterMinus = Variant(InvalidJson, "A number needs digits after '-'");
        public static readonly DiagnosticDescriptor LeadingZero = Variant(InvalidJson, "Numbers must not have leading zeros");
        public static readonly DiagnosticDescriptor NoDigitsAfterPoint = Variant(InvalidJson, "A number needs digits after '.'");
        public static readonly DiagnosticDescriptor NoExponentDigits = Variant(InvalidJson, "A number's exponent needs digits");
        public static readonly DiagnosticDescriptor LettersAfterNumber = Variant(InvalidJson, "A number is followed by letters; write a plain number, or a string in double quotes");
        public static readonly DiagnosticDescriptor BareWord = Variant(InvalidJson, "Unexpected word '{0}'; strings must be in double quotes, and the only bare words are true, false and null");
        public static readonly DiagnosticDescriptor SeparatorInLineComment = Variant(InvalidJson, "A // comment contains the line separator {0}; remove it or use a /* */ comment");
        public static readonly DiagnosticDescriptor CommentNeverClosed = Variant(InvalidJson, "A /* comment is never closed; add '*/'");
        public static readonly DiagnosticDescriptor RootNotObject = Variant(InvalidJson, "The file's root is {0}; it must be an object such as {{ \"connections\": [ ... ] }}");
        public static readonly DiagnosticDescriptor ConnectionsNotArray = Variant(InvalidJson, "\"connections\" is {0}; it must be an array of connection objects: \"connections\": [ {{ ... }} ]");
        public static readonly DiagnosticDescriptor Unreadable = Variant(InvalidJson, "The file could not be read; check that it exists and is readable");

        // JCG004.
        public static readonly DiagnosticDescriptor NullApiToken = Variant(MissingApiToken, "Connection {0} has a null apiToken; say where the token lives, e.g. \"apiToken\": {{ \"env\": \"{1}\" }}");
        public static readonly DiagnosticDescriptor EmptyApiToken = Variant(MissingApiToken, "Connection {0} has an empty apiToken object; say where the token lives, e.g. \"apiToken\": {{ \"env\": \"{1}\" }}");

        // JCG005.
        public static readonly DiagnosticDescriptor BlankNickname = Variant(MissingRequiredValue, "Connection {0} has a blank nickname; write a unique name such as \"Production\"");
        public static readonly DiagnosticDescriptor MissingUsername = Variant(MissingRequiredValue, "Connection {0} has no username{1} but uses basic authentication; add the account's email address as \"username\", or set \"auth\": \"bearer\" for a Data Center personal access token");
        public static readonly DiagnosticDescriptor BlankUsername = Variant(MissingRequiredValue, "Connection {0} has a blank username but uses basic authentication; add the account's email address as \"username\", or set \"auth\": \"bearer\" for a Data Center personal access token");
        public static readonly DiagnosticDescriptor MissingInstanceUrl = Variant(MissingRequiredValue, "Connection {0} has no instanceUrl{1}; add the Jira host, e.g. \"instanceUrl\": \"contoso.atlassian.net\"");
        public static readonly DiagnosticDescriptor BlankInstanceUrl = Variant(MissingRequiredValue, "Connection {0} has a blank instanceUrl; write the Jira host, e.g. \"contoso.atlassian.net\"");

        // JCG007.
        public static readonly DiagnosticDescriptor TokenAsName = Variant(TokenInFile, "Connection {0}: apiToken must not hold the token itself, which everyone who can read this file or its history can use; the value of \"{1}\" looks like a secret, not the name of {2}: put the token in an environment variable, user secrets or a secret file and reference it, e.g. \"apiToken\": {{ \"env\": \"{3}\" }}{4}");

        // JCG008.
        public static readonly DiagnosticDescriptor NoIdentifier = Variant(InvalidIdentifier, "Connection {0}: the nickname gives no C# identifier (it needs a letter or digit that C# accepts in a name); rename it");
        public static readonly DiagnosticDescriptor GetterTooLong = Variant(InvalidIdentifier, "Connection {0}: the nickname gives an identifier of {1} UTF-8 bytes, and its property's getter ('get_' and the identifier) would be longer than the {2} bytes a .NET assembly can hold in a name (CS7013); shorten the nickname");
        public static readonly DiagnosticDescriptor IdentifierOfMember = Variant(InvalidIdentifier, "Connection {0}: the nickname gives the identifier '{1}', which the generated class already uses for a member; rename the connection");
        public static readonly DiagnosticDescriptor IdentifierOfClass = Variant(InvalidIdentifier, "Connection {0}: the nickname gives the identifier '{1}', which the generated class already uses for its own name; rename the connection");

        // JCG010.
        public static readonly DiagnosticDescriptor ConnectionNotObject = Variant(InvalidValue, "Connection #{0}: each item of \"connections\" must be an object with a nickname, an instanceUrl and an apiToken, not {1}");
        public static readonly DiagnosticDescriptor InvalidAuth = Variant(InvalidValue, "{0}: \"auth\" must be \"basic\" (email address and API token) or \"bearer\" (Data Center personal access token), not {1}{2}");
        public static readonly DiagnosticDescriptor ApiTokenNotObject = Variant(InvalidValue, "{0}: \"apiToken\" must be an object naming where the token lives, e.g. {{ \"env\": \"{1}\" }}, not {2}");
        public static readonly DiagnosticDescriptor RepeatedSource = Variant(InvalidValue, "{0}: \"{1}\" is repeated; remove one");
        public static readonly DiagnosticDescriptor UnknownSource = Variant(InvalidValue, "{0}: \"{1}\" is not a token source; use exactly one of \"config\" (an IConfiguration key), \"env\" (an environment variable) or \"file\" (a secret file){2}");
        public static readonly DiagnosticDescriptor SourceNotString = Variant(InvalidValue, "{0}: \"{1}\" must be a string naming the {2}, not {3}");
        public static readonly DiagnosticDescriptor BlankSource = Variant(InvalidValue, "{0}: \"{1}\" is blank; write the {2}, e.g. \"{3}\"");
        public static readonly DiagnosticDescriptor TwoSources = Variant(InvalidValue, "{0}: it names both \"{1}\" and \"{2}\"; a token lives in exactly one place, keep one");
        public static readonly DiagnosticDescriptor NoSource = Variant(InvalidValue, "{0}: it names no token source; use exactly one of \"config\", \"env\" or \"file\"");
        public static readonly DiagnosticDescriptor InvalidEvents = Variant(InvalidValue, "{0}: \"events\" must be true or false, not {1}");
        public static readonly DiagnosticDescriptor InvalidWebhooks = Variant(InvalidValue, "{0}: \"webhooks\" must be a whole number of admin webhooks, 0 or more, not {1}");
        public static readonly DiagnosticDescriptor RepeatedProperty = Variant(InvalidValue, "{0}: \"{1}\" is repeated; the first value is used, remove this one");

        // JCG015.
        public static readonly DiagnosticDescriptor FullNameTooLong = Variant(InvalidTypeName, "The generated class's full name ('{0}') is {1} UTF-8 bytes, longer than the {2} a .NET assembly can hold in a type's name (CS7013); shorten \"namespace\" or \"className\"");
        public static readonly DiagnosticDescriptor ClassHidesNamespace = Variant(InvalidTypeName, "A class '{0}' in the global namespace hides the namespace '{0}' that the generated code uses; set \"namespace\", or choose another className");
        public static readonly DiagnosticDescriptor ClassHidesRuntimeType = Variant(InvalidTypeName, "'{0}' is a type of the JiraConfigGen runtime library, which the generated class would hide from the generated code and from yours; choose another className or namespace");
        public static readonly DiagnosticDescriptor TypeNameDisagrees = Variant(InvalidTypeName, "\"{0}\" is '{1}' here but '{2}' at {3}; the connection files of a project make one class, so set the same value in both or remove one");
        public static readonly DiagnosticDescriptor InvalidRootNamespace = Variant(InvalidTypeName, "The project's RootNamespace '{0}' is not a C# namespace ({1}), so the connections class is generated in the global namespace; set \"namespace\" in the connections file");

        public static readonly DiagnosticDescriptor[] All =
        {
            InvalidJson, DuplicateNickname, SchemeInInstanceUrl, MissingApiToken, MissingRequiredValue,
            InvalidInstanceUrl, TokenInFile, InvalidIdentifier, UnknownProperty, InvalidValue,
            SharedAccountDifferentTokens, TooManyWebhooks, CloudUsernameNotEmail, NoConnections, InvalidTypeName,
            InvalidBuildOption, InternalError,
        };

        /// <summary>The release tag the build wrote into the assembly (<c>ReleaseTag</c> in src/Directory.Build.props).</summary>
        private static string ReleaseTag()
        {
            foreach (object attribute in typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false))
            {
                if (attribute is System.Reflection.AssemblyMetadataAttribute { Key: "ReleaseTag", Value: { Length: > 0 } tag })
                {
                    return tag;
                }
            }

            return "main";
        }

        private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
            new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

        /// <summary>Another sentence of <paramref name="primary"/>'s diagnostic: the same ID, title, severity and help link.</summary>
        private static DiagnosticDescriptor Variant(DiagnosticDescriptor primary, string message) =>
            Create(primary.Id, primary.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), message, primary.DefaultSeverity);
    }
}
