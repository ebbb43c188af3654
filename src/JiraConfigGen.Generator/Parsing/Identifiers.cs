using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>C# names: a nickname's identifier, and the checks on namespace and className.</summary>
    internal static class Identifiers
    {
        [ThreadStatic]
        private static StringBuilder? t_builder;

        /// <summary>Members every generated class has, and those it inherits from object: no nickname may take them.</summary>
        public static readonly IReadOnlyCollection<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
        {
            "All", "Get", "TryGet",
            "Equals", "GetHashCode", "GetType", "ToString", "ReferenceEquals", "MemberwiseClone", "Finalize",
        };

        /// <summary>
        /// Splits <paramref name="nickname"/> on every character that is not a letter or digit, upper-cases
        /// the first letter of each part and joins them (<c>"prod-eu 2"</c> gives <c>ProdEu2</c>); prefixes
        /// <c>_</c> when the result starts with a digit. Empty when no valid identifier results.
        /// </summary>
        public static string FromNickname(string nickname)
        {
            StringBuilder builder = t_builder ??= new StringBuilder(64);
            builder.Clear();
            bool startOfPart = true;
            foreach (char c in nickname)
            {
                // Surrogates are not letters to char.IsLetterOrDigit, and C# identifiers cannot use them either.
                if (!char.IsLetterOrDigit(c))
                {
                    startOfPart = true;
                    continue;
                }

                builder.Append(startOfPart ? char.ToUpperInvariant(c) : c);
                startOfPart = false;
            }

            if (builder.Length == 0)
            {
                return string.Empty;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(builder[0]) == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Insert(0, '_');
            }

            string identifier = builder.ToString();
            if (builder.Capacity > 256)
            {
                t_builder = null; // do not keep a huge nickname's buffer alive
            }

            return IsUsableIdentifier(identifier) ? identifier : string.Empty;
        }

        /// <summary>A valid C# identifier that is not a keyword (so it needs no <c>@</c>).</summary>
        public static bool IsUsableIdentifier(string name) =>
            SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

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

            // CS8981: C# may reserve all-lower-case ASCII names (as it did 'record'); the compiler warns.
            bool lowerAscii = true;
            foreach (char c in name)
            {
                lowerAscii &= c >= 'a' && c <= 'z';
            }

            return lowerAscii ? "C# warns that all-lower-case type names may become keywords (CS8981); start it with a capital" : null;
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
