using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using JiraConfigGen.Cli.Inputs;
using JiraConfigGen.Cli.Validation;

namespace JiraConfigGen.Cli.Commands;

/// <summary>What the commands share: the paths argument, finding and reading the files, and where output goes.</summary>
internal static class Shared
{
    public static Argument<string[]> PathsArgument() => new("paths")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "Files, directories or globs (quote them: '**/*.jira-connections.json'). Default: every jira-connections.json and *.jira-connections.json under the current directory, skipping bin, obj, .git and node_modules.",
    };

    public static Option<string> FormatOption(params string[] formats)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "The output format.",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static string CurrentDirectory => Directory.GetCurrentDirectory();

    /// <summary>A path as the build would show it from here: relative to the current directory.</summary>
    public static string Relative(string fullPath) => Path.GetRelativePath(CurrentDirectory, fullPath);

    /// <summary>A relative path with <c>/</c> on every system, for GitHub, SARIF and JSON.</summary>
    public static string Portable(string fullPath) => Relative(fullPath).Replace('\\', '/');

    /// <summary>Finds the files and reads them as projects would, one set per directory (or one, merged).</summary>
    public static ValidationResult Read(string[]? paths, bool merge = false, bool warningsAsErrors = false)
    {
        IReadOnlyList<string> files = ConnectionFileFinder.Find(paths ?? [], CurrentDirectory);
        var severities = new SeverityConfiguration(warning => Console.Error.WriteLine("jira-connections: warning: " + warning));
        return Validator.Validate(files, merge, warningsAsErrors, severities, Relative);
    }

    /// <summary>Standard output, or the file of <c>--output</c>, UTF-8 without a byte order mark.</summary>
    public static Stream OpenOutput(FileInfo? file)
    {
        if (file is null)
        {
            return Console.OpenStandardOutput();
        }

        try
        {
            return file.Create();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException($"cannot write {file.FullName}: {e.Message}", e);
        }
    }

    public static StreamWriter Writer(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { AutoFlush = false };

    /// <summary><c>1 error</c>, <c>2 warnings</c>.</summary>
    public static string Count(int count, string noun) =>
        count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
}
