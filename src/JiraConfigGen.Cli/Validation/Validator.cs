using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using JiraConfigGen.Cli.Inputs;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Cli.Validation;

/// <summary>One diagnostic, with the severity the build would give it.</summary>
/// <param name="Rule">The generator's descriptor: ID, title, help link, default severity.</param>
/// <param name="Severity">Error or warning (what the build prints; suggestions are for the IDE).</param>
/// <param name="Path">The full path of the file it is in; null for one without a place.</param>
/// <param name="Span">Where in the file, 0-based.</param>
/// <param name="Message">The message, exactly as the build prints it.</param>
/// <param name="Related">Another place the message names (the first of two duplicates), as the build's additional location.</param>
internal sealed record Finding(DiagnosticDescriptor Rule, DiagnosticSeverity Severity, string? Path, LinePositionSpan Span, string Message, LocationInfo? Related = null);

/// <summary>The connections files read, as the generator sees them, grouped the way projects would hold them.</summary>
/// <param name="Sets">Each set's files, as read, and what the merge made of them.</param>
/// <param name="Findings">Every diagnostic to report, by path, line and column.</param>
internal sealed record ValidationResult(IReadOnlyList<ConnectionSet> Sets, IReadOnlyList<Finding> Findings)
{
    public int Files => Sets.Sum(s => s.Files.Length);

    public int Errors => Findings.Count(f => f.Severity == DiagnosticSeverity.Error);

    public int Warnings => Findings.Count(f => f.Severity == DiagnosticSeverity.Warning);
}

/// <summary>The files of one directory (or, with <c>--merge</c>, of all), read as one project's.</summary>
/// <param name="Texts">Each file's text by full path, for showing a line.</param>
internal sealed record ConnectionSet(string Directory, ImmutableArray<FileSpec> Files, IReadOnlyDictionary<string, SourceText> Texts, GenerationResult Result);

/// <summary>
/// Runs the generator's reader on each file and its merge on each set: the same rules, IDs, places and
/// messages as the build, then the severities the build's configuration would give them.
/// </summary>
internal static class Validator
{
    /// <summary>
    /// What a project in <paramref name="directory"/> would tell the generator. Only the emitted code depends on it, and
    /// the paths messages give to other files (relative to the project's directory, here the set's).
    /// </summary>
    private static GeneratorSettings Settings(string directory) =>
        new(new BuildOptions(RootNamespace: null, Accessibility: null, ProjectDirectory: directory), LanguageVersion.Latest, HasMaybeNullWhen: true);

    /// <summary>Reads and checks <paramref name="paths"/> (full paths).</summary>
    /// <param name="merge">One set for all files, rather than one per directory.</param>
    /// <param name="warningsAsErrors">Reports every warning as an error, as TreatWarningsAsErrors does.</param>
    /// <param name="severities">The build's severity configuration.</param>
    /// <param name="display">How a path is named in an error.</param>
    /// <exception cref="CommandException">A file cannot be read.</exception>
    public static ValidationResult Validate(IReadOnlyList<string> paths, bool merge, bool warningsAsErrors, SeverityConfiguration severities, Func<string, string> display)
    {
        var sets = new List<ConnectionSet>();
        IEnumerable<IGrouping<string, string>> groups = paths.GroupBy(p => merge ? string.Empty : Path.GetDirectoryName(p)!, StringComparer.Ordinal);
        foreach (IGrouping<string, string> group in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var texts = new Dictionary<string, SourceText>(StringComparer.Ordinal);
            ImmutableArray<FileSpec>.Builder files = ImmutableArray.CreateBuilder<FileSpec>();
            foreach (string path in group)
            {
                SourceText text = SourceFiles.Read(path, display(path));
                texts[path] = text;
                files.Add(ConnectionsFileReader.Read(path, text));
            }

            sets.Add(new ConnectionSet(group.Key, files.ToImmutable(), texts, ConnectionsMerger.Merge(files.ToImmutable(), Settings(merge ? Environment.CurrentDirectory : group.Key))));
        }

        var findings = new List<Finding>();
        foreach (ConnectionSet set in sets)
        {
            foreach (DiagnosticInfo info in set.Result.Diagnostics)
            {
                string? path = info.Location?.FilePath;
                IReadOnlyDictionary<string, ReportDiagnostic> configured = severities.For(Path.GetDirectoryName(path) ?? set.Directory);
                DiagnosticSeverity? severity = Effective(info.Descriptor, configured, warningsAsErrors);
                if (severity is { } shown)
                {
                    Diagnostic diagnostic = info.ToDiagnostic();
                    findings.Add(new Finding(info.Descriptor, shown, path, info.Location?.LineSpan ?? default, diagnostic.GetMessage(CultureInfo.InvariantCulture), info.AdditionalLocation));
                }
            }
        }

        findings.Sort(static (a, b) =>
        {
            int order = string.CompareOrdinal(a.Path, b.Path);
            order = order != 0 ? order : a.Span.Start.CompareTo(b.Span.Start);
            return order != 0 ? order : string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        });
        return new ValidationResult(sets, findings);
    }

    /// <summary>
    /// The severity the build shows, or null when it shows nothing: suppressed (<c>none</c>), or a suggestion or
    /// silent diagnostic, which only an IDE shows.
    /// </summary>
    private static DiagnosticSeverity? Effective(DiagnosticDescriptor rule, IReadOnlyDictionary<string, ReportDiagnostic> configured, bool warningsAsErrors)
    {
        ReportDiagnostic report = configured.TryGetValue(rule.Id, out ReportDiagnostic set) ? set : ReportDiagnostic.Default;
        DiagnosticSeverity? severity = report switch
        {
            ReportDiagnostic.Default => rule.DefaultSeverity,
            ReportDiagnostic.Error => DiagnosticSeverity.Error,
            ReportDiagnostic.Warn => DiagnosticSeverity.Warning,
            ReportDiagnostic.Info => DiagnosticSeverity.Info,
            _ => null,
        };
        return severity switch
        {
            DiagnosticSeverity.Warning when warningsAsErrors => DiagnosticSeverity.Error,
            DiagnosticSeverity.Info or DiagnosticSeverity.Hidden => null,
            _ => severity,
        };
    }
}
