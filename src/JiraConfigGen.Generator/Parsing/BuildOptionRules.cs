using System;
using System.Collections.Generic;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Shared;
using D = JiraConfigGen.Generator.DiagnosticDescriptors;

namespace JiraConfigGen.Generator.Parsing
{
    /// <summary>
    /// The MSBuild properties that configure JiraConfigGen, their allowed values, and JCG016 for any other value. The
    /// package's .targets only passes them on (<c>CompilerVisibleProperty</c>): the rule and its message live here once.
    /// </summary>
    internal static class BuildOptionRules
    {
        public static readonly Option Enabled = new("JiraConfigGenEnabled", "true", "false");
        public static readonly Option AutoInclude = new("JiraConfigGenAutoInclude", "true", "false");
        public static readonly Option Accessibility = new(JiraConnectionsGenerator.AccessibilityProperty, "public", "internal");

        /// <summary>JCG016 for each property whose value is not one of its own; none when all are valid or unset.</summary>
        public static EquatableArray<DiagnosticInfo> Check(BuildOptions options)
        {
            List<DiagnosticInfo>? diagnostics = null;
            foreach ((Option option, string? value) in new[] { (Enabled, options.Enabled), (AutoInclude, options.AutoInclude), (Accessibility, options.Accessibility) })
            {
                if (option.Read(value) is null)
                {
                    (diagnostics ??= new List<DiagnosticInfo>()).Add(DiagnosticInfo.Create(
                        D.InvalidBuildOption, null, option.Name, MessageText.Quote(value!.Trim()), option.Values[0] + " or " + option.Values[1]));
                }
            }

            return diagnostics is null ? EquatableArray<DiagnosticInfo>.Empty : diagnostics.ToEquatableArray();
        }

        /// <summary>One property: its name and its values, the first the default.</summary>
        public sealed class Option
        {
            public Option(string name, params string[] values) => (Name, Values) = (name, values);

            public string Name { get; }

            public string[] Values { get; }

            /// <summary>The value, trimmed and in the case of <see cref="Values"/>; the default when unset or blank; null when invalid.</summary>
            public string? Read(string? value)
            {
                string trimmed = value?.Trim() ?? string.Empty;
                if (trimmed.Length == 0)
                {
                    return Values[0];
                }

                foreach (string known in Values)
                {
                    if (string.Equals(trimmed, known, StringComparison.OrdinalIgnoreCase))
                    {
                        return known;
                    }
                }

                return null;
            }
        }
    }
}
