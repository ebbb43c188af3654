using Microsoft.CodeAnalysis;

namespace JiraConfigGen.Generator
{
    /// <summary>The other sentences of each diagnostic ID (see <see cref="DiagnosticDescriptors"/>).</summary>
    internal static partial class DiagnosticDescriptors
    {
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
    }
}
