using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using JiraConfigGen.Generator.Emit;
using JiraConfigGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using D = JiraConfigGen.Generator.DiagnosticDescriptors;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>C# names: a nickname's identifier, and the checks on namespace and className.</summary>
    internal static class Identifiers
    {
        [ThreadStatic]
        private static char[]? t_chars;

        /// <summary>Members every generated class has, and those it inherits from object: no nickname may take them.</summary>
        public static bool IsReserved(string identifier) => identifier.Length switch
        {
            // By length first: most identifiers are ruled out without reading a character.
            3 => identifier is "All" or "Get",
            6 => identifier is "TryGet" or "Equals",
            7 => identifier is "GetType",
            8 => identifier is "ToString" or "Finalize",
            11 => identifier is "GetHashCode",
            15 => identifier is "ReferenceEquals" or "MemberwiseClone",
            _ => false,
        };

        /// <summary>
        /// Splits <paramref name="nickname"/> on every character that is not a letter or digit, upper-cases
        /// the first letter of each part and joins them (<c>"prod-eu 2"</c> gives <c>ProdEu2</c>); prefixes
        /// <c>_</c> when the result starts with a digit. Empty when no valid identifier results.
        /// </summary>
        public static string FromNickname(string nickname)
        {
            // chars[0] is kept for the '_' before a leading digit.
            char[] chars = t_chars is { } buffer && buffer.Length > nickname.Length ? buffer : (t_chars = new char[Math.Max(64, nickname.Length + 1)]);
            int length = 1;
            bool ascii = true;
            bool startOfPart = true;
            foreach (char c in nickname)
            {
                // Surrogates are not letters to char.IsLetterOrDigit, and C# identifiers cannot use them either.
                if (!char.IsLetterOrDigit(c))
                {
                    startOfPart = true;
                    continue;
                }

                ascii &= c < 0x80;
                chars[length++] = startOfPart ? char.ToUpperInvariant(c) : c;
                startOfPart = false;
            }

            if (chars.Length > 256)
            {
                t_chars = null; // do not keep a huge nickname's buffer alive
            }

            if (length == 1)
            {
                return string.Empty;
            }

            chars[0] = '_';
            int start = CharUnicodeInfo.GetUnicodeCategory(chars[1]) == UnicodeCategory.DecimalDigitNumber ? 0 : 1;

            // A nickname that is its own identifier (every character kept, the first already a capital) is reused.
            string identifier = start == 1 && length - 1 == nickname.Length && chars[1] == nickname[0] ? nickname : new string(chars, start, length - start);

            // ASCII letters and digits, starting with a capital or '_', are always a C# identifier and never a
            // keyword (keywords are lower-case): only other letters need the compiler's checks.
            return ascii || IsUsableIdentifier(identifier) ? identifier : string.Empty;
        }

        /// <summary>A valid C# identifier that is not a keyword (so it needs no <c>@</c>).</summary>
        public static bool IsUsableIdentifier(string name) =>
            SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

        /// <summary>The longest name metadata holds, in UTF-8 bytes: a longer one is CS7013 when the assembly is written.</summary>
        public const int MaxMetadataNameBytes = 1023;

        /// <summary>Whether <paramref name="name"/> fits in metadata (<see cref="MaxMetadataNameBytes"/>), counted without allocating.</summary>
        public static bool FitsInMetadata(string name, int prefixBytes = 0) =>
            name.Length * 3 + prefixBytes <= MaxMetadataNameBytes || Encoding.UTF8.GetByteCount(name) + prefixBytes <= MaxMetadataNameBytes;

        /// <summary>Why <paramref name="name"/> is not a namespace C# accepts, or null when it is one.</summary>
        public static string? ExplainInvalidNamespace(string name)
        {
            if (name.Trim().Length == 0)
            {
                return "it is blank";
            }

            string[] parts = name.Split('.');
            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i];
                if (part.Length == 0)
                {
                    return "it has an empty part between dots";
                }

                if (!SyntaxFacts.IsValidIdentifier(part))
                {
                    return $"'{MessageText.Quote(part)}' is not a C# identifier";
                }

                if (SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None || (i == 0 && part == "global"))
                {
                    return $"'{part}' is a C# keyword";
                }
            }

            // JiraConfigGen.JiraConnection as a namespace would hide the runtime library's type of that name.
            if (parts.Length > 1 && parts[0] == ConnectionsEmitter.RuntimeNamespace && Array.IndexOf(ConnectionsEmitter.RuntimeTypeNames, parts[1]) >= 0)
            {
                return $"'{parts[0]}.{parts[1]}' is a type of the JiraConfigGen runtime library, which a namespace of that name would hide";
            }

            return null;
        }

        /// <summary>Why <paramref name="name"/> cannot name the generated class, or null when it can.</summary>
        public static string? ExplainInvalidClassName(string name)
        {
            if (name.Trim().Length == 0)
            {
                return "it is blank";
            }

            if (!SyntaxFacts.IsValidIdentifier(name))
            {
                return "it is not a C# identifier";
            }

            if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
            {
                return "it is a C# keyword";
            }

            if (Array.IndexOf(ConnectionsEmitter.DeclaredNames, name) >= 0)
            {
                return $"the generated class declares a member named '{name}', and a member cannot have its class's name (CS0542)";
            }

            // CS8981: C# may reserve all-lower-case ASCII names (as it did 'record'); the compiler warns.
            bool lowerAscii = true;
            foreach (char c in name)
            {
                lowerAscii &= c >= 'a' && c <= 'z';
            }

            return lowerAscii ? "C# warns that all-lower-case type names may become keywords (CS8981); start it with a capital" : null;
        }

        /// <summary>
        /// The JCG015 sentence and its values when the class <paramref name="className"/> in <paramref name="ns"/> (null: the
        /// global namespace) would take a name the generated code or the runtime library needs, or a full name too long for
        /// metadata; null when it takes none. Each name is valid on its own.
        /// </summary>
        public static (DiagnosticDescriptor Descriptor, string[] Args)? FindClash(string? ns, string className)
        {
            const string Runtime = ConnectionsEmitter.RuntimeNamespace;
            string fullName = ns is null ? className : ns + "." + className;
            if (!FitsInMetadata(fullName))
            {
                string bytes = Encoding.UTF8.GetByteCount(fullName).ToString(CultureInfo.InvariantCulture);
                return (D.FullNameTooLong, new[] { MessageText.Quote(fullName), bytes, MaxMetadataNameBytes.ToString(CultureInfo.InvariantCulture) });
            }

            if (ns is null && Array.IndexOf(ConnectionsEmitter.GlobalRoots, className) >= 0)
            {
                return (D.ClassHidesNamespace, new[] { className });
            }

            if (ns == Runtime && Array.IndexOf(ConnectionsEmitter.RuntimeTypeNames, className) >= 0)
            {
                return (D.ClassHidesRuntimeType, new[] { Runtime + "." + className });
            }

            return null;
        }

        /// <summary>An environment variable name to suggest for a connection's token: <c>JIRA_PROD_EU_TOKEN</c>.</summary>
        public static string SuggestVariable(string? nickname)
        {
            var builder = new StringBuilder("JIRA_");
            bool pendingSeparator = false;
            foreach (char c in nickname ?? string.Empty)
            {
                if (c < 0x80 && char.IsLetterOrDigit(c))
                {
                    if (pendingSeparator && builder.Length > 5)
                    {
                        builder.Append('_');
                    }

                    builder.Append(char.ToUpperInvariant(c));
                    pendingSeparator = false;
                }
                else
                {
                    pendingSeparator = true;
                }

                if (builder.Length > 40)
                {
                    break;
                }
            }

            return builder.Append(builder.Length > 5 ? "_TOKEN" : "TOKEN").ToString();
        }
    }
}
