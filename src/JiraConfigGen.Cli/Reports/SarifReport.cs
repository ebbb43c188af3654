using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using JiraConfigGen.Cli.Validation;
using JiraConfigGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Cli.Reports;

/// <summary>
/// SARIF 2.1.0, for GitHub code scanning and any SARIF viewer: one run of the <c>jira-connections</c> driver
/// with every rule the tool reports (ID, title, help link, default level), one result per diagnostic,
/// each at a relative URI under the <c>%SRCROOT%</c> base (the current directory) with its region's start
/// and end line and column. Nothing machine-specific: no absolute path, no compiler name.
/// </summary>
internal static class SarifReport
{
    public const string SourceRoot = "%SRCROOT%";

    /// <summary>The rules this tool can report: all but JCG016, which is about a project's MSBuild properties.</summary>
    public static readonly DiagnosticDescriptor[] Rules = DiagnosticDescriptors.All.Where(d => d != DiagnosticDescriptors.InvalidBuildOption).ToArray();

    public static void Write(ValidationResult result, Stream output, Func<string, string> relativePath)
    {
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        using var json = new Utf8JsonWriter(output, Json.Options);
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "jira-connections");
        json.WriteString("fullName", "JiraConfigGen command-line tool");
        json.WriteString("version", ToolVersion);
        json.WriteString("semanticVersion", ToolVersion);
        json.WriteString("informationUri", "https://github.com/JiraConfigGen/JiraConfigGen");
        json.WriteStartArray("rules");
        foreach (DiagnosticDescriptor rule in Rules)
        {
            ruleIndex[rule.Id] = ruleIndex.Count;
            string title = rule.Title.ToString(CultureInfo.InvariantCulture);
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", Names[rule]);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", title);
            json.WriteEndObject();
            json.WriteString("helpUri", rule.HelpLinkUri);
            json.WriteStartObject("help");
            json.WriteString("text", $"{title}. What the rule checks and how to fix it: {rule.HelpLinkUri}");
            json.WriteString("markdown", $"{title}. What the rule checks and how to fix it: [{rule.Id}]({rule.HelpLinkUri})");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("category", rule.Category);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", true);
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartArray("results");
        foreach (Finding finding in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", finding.Rule.Id);
            if (ruleIndex.TryGetValue(finding.Rule.Id, out int index))
            {
                json.WriteNumber("ruleIndex", index);
            }

            json.WriteString("level", Level(finding.Severity));
            json.WriteStartObject("message");
            json.WriteString("text", finding.Message);
            json.WriteEndObject();
            if (finding.Path is not null)
            {
                json.WriteStartArray("locations");
                WriteLocation(json, relativePath(finding.Path), finding.Span, id: null);
                json.WriteEndArray();
            }

            if (finding.Related is { } related)
            {
                json.WriteStartArray("relatedLocations");
                WriteLocation(json, relativePath(related.FilePath), related.LineSpan, id: 1);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("columnKind", "utf16CodeUnits");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary>A location object: the file under <c>%SRCROOT%</c> and the region, with an id when it is a related location.</summary>
    private static void WriteLocation(Utf8JsonWriter json, string path, LinePositionSpan span, int? id)
    {
        json.WriteStartObject();
        if (id is { } number)
        {
            json.WriteNumber("id", number);
        }

        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", RelativeUri(path));
        json.WriteString("uriBaseId", SourceRoot);
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", span.Start.Line + 1);
        json.WriteNumber("startColumn", span.Start.Character + 1);
        json.WriteNumber("endLine", span.End.Line + 1);
        json.WriteNumber("endColumn", span.End.Character + 1);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The tool's version, without the source revision the SDK appends (<c>1.0.0+abc123</c>).</summary>
    public static string ToolVersion { get; } = (typeof(SarifReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0").Split('+')[0];

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note", // no rule defaults to less, and the tool reports no suggestion
    };

    /// <summary>A relative path as a URI reference: each segment percent-encoded, joined by <c>/</c>.</summary>
    internal static string RelativeUri(string relativePath) =>
        string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));

    /// <summary>Each rule's name in PascalCase: the generator's name for its descriptor (<c>SchemeInInstanceUrl</c>).</summary>
    private static readonly Dictionary<DiagnosticDescriptor, string> Names = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor) && Array.IndexOf(DiagnosticDescriptors.All, field.GetValue(null)) >= 0)
        .ToDictionary(field => (DiagnosticDescriptor)field.GetValue(null)!, field => field.Name); // the primary sentence of each ID names its rule
}
