using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using JiraConfigGen.Cli.Validation;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Cli.Reports;

/// <summary>
/// The build's shape, <c>PATH(LINE,COL): error JCG003: MESSAGE (HELP-LINK)</c>, with PATH relative to the
/// current directory; with <c>showSource</c> (on a terminal), also the line with a caret under the place.
/// </summary>
internal static class TextReport
{
    /// <summary>The longest part of a source line shown; a longer line is shown around the place.</summary>
    private const int SourceWindow = 100;

    public static void Write(ValidationResult result, TextWriter output, Func<string, string> display, bool showSource)
    {
        foreach (Finding finding in result.Findings)
        {
            // As the compiler prints it, with the rule's help link at the end.
            string diagnostic = $"{Severity(finding.Severity)} {finding.Rule.Id}: {finding.Message} ({finding.Rule.HelpLinkUri})";
            if (finding.Path is null)
            {
                output.WriteLine("jira-connections: " + diagnostic);
                continue;
            }

            string path = Visible(display(finding.Path));
            int line = finding.Span.Start.Line + 1;
            int column = finding.Span.Start.Character + 1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}({line},{column}): {diagnostic}"));
            if (showSource)
            {
                WriteSource(result, finding, output);
            }
        }
    }

    public static string Severity(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Error ? "error" : "warning";

    /// <summary>A path as printed: control characters (a newline in a file name) written as <c>\uXXXX</c>.</summary>
    public static string Visible(string value)
    {
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                var builder = new StringBuilder(value.Length + 8);
                foreach (char d in value)
                {
                    builder.Append(char.IsControl(d) ? "\\u" + ((int)d).ToString("X4", CultureInfo.InvariantCulture) : d.ToString());
                }

                return builder.ToString();
            }
        }

        return value;
    }

    /// <summary>
    /// <code>
    ///     7 |     "instanceUrl": "https://contoso.atlassian.net",
    ///       |                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    /// </code>
    /// Control characters of the line are shown as spaces, so a file cannot drive the terminal, and what could
    /// be a secret as <c>*</c> (<see cref="SecretMask"/>).
    /// </summary>
    private static void WriteSource(ValidationResult result, Finding finding, TextWriter output)
    {
        (SourceText? text, FileSpec? file) = Find(result, finding.Path!);
        int lineNumber = finding.Span.Start.Line;
        if (text is null || lineNumber >= text.Lines.Count)
        {
            return;
        }

        TextLine textLine = text.Lines[lineNumber];
        IEnumerable<TextSpan> tokens = file?.Connections.Where(c => c.TokenSpan is not null).Select(c => c.TokenSpan!.Value.Span) ?? [];
        string line = SecretMask.Apply(textLine.ToString(), textLine.Start, tokens);
        int start = Math.Min(finding.Span.Start.Character, line.Length);
        int end = finding.Span.End.Line == lineNumber ? Math.Min(Math.Max(finding.Span.End.Character, start + 1), line.Length) : line.Length;
        int from = 0;
        if (line.Length > SourceWindow)
        {
            from = Math.Max(0, Math.Min(start - (SourceWindow / 3), line.Length - SourceWindow));
            line = line.Substring(from, Math.Min(SourceWindow, line.Length - from));
            start -= from;
            end = Math.Min(end - from, line.Length);
        }

        // One character shown for each character of the line, so the caret stays under its place; an invisible one
        // (a bidirectional control would reverse the rest of the line in the terminal) is shown as U+FFFD.
        var shown = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            shown.Append(line[i] == '\t' ? '\t' : MessageText.IsInvisible(line, i) ? '\uFFFD' : line[i]);
        }

        var marker = new StringBuilder(end + 1);
        for (int i = 0; i < start; i++)
        {
            marker.Append(line[i] == '\t' ? '\t' : ' ');
        }

        marker.Append('^');
        marker.Append('~', Math.Max(0, end - start - 1));

        string number = (lineNumber + 1).ToString(CultureInfo.InvariantCulture);
        string gutter = new(' ', number.Length);
        output.WriteLine($" {number} | {(from > 0 ? "…" : string.Empty)}{shown}");
        output.WriteLine($" {gutter} | {(from > 0 ? " " : string.Empty)}{marker}");
    }

    private static (SourceText? Text, FileSpec? File) Find(ValidationResult result, string path)
    {
        foreach (ConnectionSet set in result.Sets)
        {
            if (set.Texts.TryGetValue(path, out SourceText? text))
            {
                return (text, set.Files.FirstOrDefault(f => f.Path == path));
            }
        }

        return (null, null);
    }
}
