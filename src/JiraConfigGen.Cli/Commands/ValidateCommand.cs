using System;
using System.CommandLine;
using System.IO;
using JiraConfigGen.Cli.Reports;
using JiraConfigGen.Cli.Validation;

namespace JiraConfigGen.Cli.Commands;

/// <summary><c>jira-connections validate [PATH|GLOB ...]</c>: the build's diagnostics, without a build.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        Argument<string[]> paths = Shared.PathsArgument();
        Option<string> format = Shared.FormatOption("text", "github", "sarif", "json");
        var output = new Option<FileInfo>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var merge = new Option<bool>("--merge") { Description = "Read all files as one set (one project), so cross-file rules apply across directories. Default: one set per directory." };
        var warningsAsErrors = new Option<bool>("--warnings-as-errors") { Description = "Report every warning as an error, as TreatWarningsAsErrors does in the build." };
        var showSource = new Option<bool>("--show-source") { Description = "With text output, show each line with a caret under the place (the default on a terminal)." };

        var command = new Command("validate", "Checks connections files with the generator's rules: the build's IDs, lines, columns and messages, with the severities of .globalconfig files. Exit code 1 when there is an error.")
        {
            paths, format, output, merge, warningsAsErrors, showSource,
        };
        command.SetAction(parsed =>
        {
            ValidationResult result = Shared.Read(parsed.GetValue(paths), parsed.GetValue(merge), parsed.GetValue(warningsAsErrors));
            FileInfo? file = parsed.GetValue(output);
            using (Stream stream = Shared.OpenOutput(file))
            {
                Write(result, parsed.GetValue(format)!, stream, parsed.GetValue(showSource) || (file is null && !Console.IsOutputRedirected));
            }

            Console.Error.WriteLine($"jira-connections: {Shared.Count(result.Files, "file")} in {Shared.Count(result.Sets.Count, "set")}: " +
                (result.Findings.Count == 0 ? "no problems" : $"{Shared.Count(result.Errors, "error")}, {Shared.Count(result.Warnings, "warning")}"));
            return result.Errors > 0 ? 1 : 0;
        });
        return command;
    }

    private static void Write(ValidationResult result, string format, Stream stream, bool showSource)
    {
        switch (format)
        {
            case "sarif":
                SarifReport.Write(result, stream, Shared.Portable);
                break;
            case "json":
                JsonReport.Write(result, stream, Shared.Portable);
                break;
            default:
                using (StreamWriter writer = Shared.Writer(stream))
                {
                    if (format == "github")
                    {
                        GitHubReport.Write(result, writer, Shared.Portable);
                    }
                    else
                    {
                        TextReport.Write(result, writer, Shared.Relative, showSource);
                    }
                }

                break;
        }
    }
}
