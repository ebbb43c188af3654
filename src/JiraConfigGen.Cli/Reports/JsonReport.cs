using System;
using System.IO;
using System.Text.Json;
using JiraConfigGen.Cli.Validation;

namespace JiraConfigGen.Cli.Reports;

/// <summary>
/// A JSON array with one object per diagnostic (documented in the README, "Config as code"):
/// <c>{ "id", "severity", "path", "line", "column", "endLine", "endColumn", "message", "title", "helpUri" }</c>,
/// lines and columns 1-based (the end column is the one after the last character), the path relative to
/// the current directory with <c>/</c>; a diagnostic without a place has <c>path</c> null and no numbers.
/// </summary>
internal static class JsonReport
{
    public static void Write(ValidationResult result, Stream output, Func<string, string> relativePath)
    {
        using var json = new Utf8JsonWriter(output, Json.Options);
        json.WriteStartArray();
        foreach (Finding finding in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("id", finding.Rule.Id);
            json.WriteString("severity", TextReport.Severity(finding.Severity));
            if (finding.Path is null)
            {
                json.WriteNull("path");
            }
            else
            {
                json.WriteString("path", relativePath(finding.Path));
                json.WriteNumber("line", finding.Span.Start.Line + 1);
                json.WriteNumber("column", finding.Span.Start.Character + 1);
                json.WriteNumber("endLine", finding.Span.End.Line + 1);
                json.WriteNumber("endColumn", finding.Span.End.Character + 1);
            }

            json.WriteString("message", finding.Message);
            json.WriteString("title", finding.Rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("helpUri", finding.Rule.HelpLinkUri);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
