using System;
using System.Globalization;
using System.IO;
using System.Text;
using JiraConfigGen.Cli.Validation;

namespace JiraConfigGen.Cli.Reports;

/// <summary>
/// GitHub Actions workflow commands, one per diagnostic, so the annotations appear on the pull request's
/// lines: <c>::error file=PATH,line=L,endLine=L,col=C,endColumn=C,title=JCG003::MESSAGE</c>
/// (<c>::warning</c> for a warning). PATH is relative to the current directory, with <c>/</c>: run the
/// tool from the repository's root. Values are escaped as the runner expects (<c>%25</c>, <c>%0A</c>, ...).
/// </summary>
internal static class GitHubReport
{
    public static void Write(ValidationResult result, TextWriter output, Func<string, string> relativePath)
    {
        foreach (Finding finding in result.Findings)
        {
            var line = new StringBuilder("::").Append(TextReport.Severity(finding.Severity)).Append(' ');
            if (finding.Path is not null)
            {
                line.Append("file=").Append(Property(relativePath(finding.Path)))
                    .Append(CultureInfo.InvariantCulture, $",line={finding.Span.Start.Line + 1},endLine={finding.Span.End.Line + 1}")
                    .Append(CultureInfo.InvariantCulture, $",col={finding.Span.Start.Character + 1},endColumn={finding.Span.End.Character + 1},");
            }

            line.Append("title=").Append(Property(finding.Rule.Id)).Append("::").Append(Data(finding.Message));
            output.WriteLine(line.ToString());
        }
    }

    /// <summary>A command's message: <c>%</c>, CR and LF escaped.</summary>
    internal static string Data(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A property value: as <see cref="Data"/>, and <c>:</c> and <c>,</c> too.</summary>
    internal static string Property(string value) =>
        Data(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
