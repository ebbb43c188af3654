using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using JiraConfigGen.Generator;

namespace JiraConfigGen.Cli.Inputs;

/// <summary>
/// Finds the connections files the arguments name: files as given (any name), directories searched for
/// <c>jira-connections.json</c> and <c>*.jira-connections.json</c> (the generator's own test of a name), and
/// globs (<c>*</c>, <c>?</c>, <c>[abc]</c> within a name, <c>**</c> across directories) matched from the
/// current directory. Searches skip <c>bin</c>, <c>obj</c>, <c>.git</c>, <c>node_modules</c> and symbolic links
/// to directories (no loops). Anything that names nothing is an error, never an empty success.
/// </summary>
internal static class ConnectionFileFinder
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal) { "bin", "obj", ".git", "node_modules" };

    private static readonly EnumerationOptions OneDirectory = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0, // dot-directories (.config, .github) are searched too
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The full paths of the files, each once, in ordinal order.</summary>
    /// <exception cref="CommandException">An argument names nothing, or a directory cannot be read.</exception>
    public static IReadOnlyList<string> Find(IReadOnlyList<string> arguments, string currentDirectory)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (arguments.Count == 0)
        {
            if (Search(currentDirectory, found, matches: null, maxDepth: int.MaxValue) == 0)
            {
                throw new CommandException($"no {JiraConnectionsGenerator.FileName} or *.{JiraConnectionsGenerator.FileName} under {Display(currentDirectory, currentDirectory)} (bin, obj, .git and node_modules are skipped); name the files or directories to check");
            }
        }

        foreach (string argument in arguments)
        {
            if (argument.Length == 0)
            {
                throw new CommandException("an empty path was given; name a file, a directory or a glob");
            }

            int added = IsGlob(argument)
                ? Glob(argument, currentDirectory, found)
                : Named(argument, currentDirectory, found);
            if (added == 0 && IsGlob(argument))
            {
                throw new CommandException($"'{argument}' matches no file (bin, obj, .git and node_modules are skipped)");
            }
        }

        return found.OrderBy(path => path, StringComparer.Ordinal).ToArray();
    }

    /// <summary>How a path is shown: relative to the current directory when it is inside it.</summary>
    public static string Display(string fullPath, string currentDirectory)
    {
        string relative = Path.GetRelativePath(currentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }

    private static int Named(string argument, string currentDirectory, HashSet<string> found)
    {
        string full = Path.GetFullPath(argument, currentDirectory);
        if (Directory.Exists(full))
        {
            if (Search(full, found, matches: null, maxDepth: int.MaxValue) == 0)
            {
                throw new CommandException($"no {JiraConnectionsGenerator.FileName} or *.{JiraConnectionsGenerator.FileName} under {argument} (bin, obj, .git and node_modules are skipped)");
            }

            return 1;
        }

        if (File.Exists(full))
        {
            found.Add(full);
            return 1;
        }

        throw new CommandException(argument.StartsWith('-')
            ? $"{argument}: no such option (see --help), nor a file or directory"
            : $"{argument}: no such file or directory");
    }

    /// <summary>
    /// A glob: its leading segments without wildcards are the directory to search, the rest a pattern for
    /// the paths below it. A file it matches is read whatever its name.
    /// </summary>
    private static int Glob(string pattern, string currentDirectory, HashSet<string> found)
    {
        string[] segments = pattern.Replace('\\', '/').Split('/');
        int fixedSegments = 0;
        while (fixedSegments < segments.Length - 1 && !IsGlob(segments[fixedSegments]))
        {
            fixedSegments++;
        }

        string root = fixedSegments == 0 ? currentDirectory : Path.GetFullPath(string.Join('/', segments, 0, fixedSegments) + "/", currentDirectory);
        if (!Directory.Exists(root))
        {
            return 0;
        }

        string[] rest = segments.Skip(fixedSegments).ToArray();
        int maxDepth = rest.Contains("**") ? int.MaxValue : rest.Length - 1;
        var regex = new Regex("^" + ToRegex(rest) + "$", RegexOptions.CultureInvariant | (OperatingSystem.IsLinux() ? RegexOptions.None : RegexOptions.IgnoreCase));
        return Search(root, found, relative => regex.IsMatch(relative), maxDepth);
    }

    /// <summary>Searches <paramref name="root"/>; returns how many files matched (found before or not).</summary>
    private static int Search(string root, HashSet<string> found, Func<string, bool>? matches, int maxDepth)
    {
        int count = 0;
        var pending = new Stack<(string Directory, string Relative, int Depth)>();
        pending.Push((root, string.Empty, 0));
        while (pending.TryPop(out (string Directory, string Relative, int Depth) current))
        {
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(current.Directory).EnumerateFileSystemInfos("*", OneDirectory).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandException($"cannot read the directory {current.Directory}: {e.Message}", e);
            }

            foreach (FileSystemInfo entry in entries)
            {
                string relative = current.Relative + entry.Name;
                if (entry is DirectoryInfo directory)
                {
                    if (current.Depth < maxDepth && !SkippedDirectories.Contains(directory.Name) && directory.LinkTarget is null)
                    {
                        pending.Push((directory.FullName, relative + "/", current.Depth + 1));
                    }
                }
                else if (matches is null ? JiraConnectionsGenerator.IsConnectionsFile(entry.Name) : matches(relative))
                {
                    found.Add(entry.FullName);
                    count++;
                }
            }
        }

        return count;
    }

    private static bool IsGlob(string value) => value.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary><c>**</c> is any number of directories; <c>*</c>, <c>?</c> and <c>[...]</c> stay within a name.</summary>
    private static string ToRegex(string[] segments)
    {
        var regex = new StringBuilder();
        for (int s = 0; s < segments.Length; s++)
        {
            bool last = s == segments.Length - 1;
            string segment = segments[s];
            if (segment == "**")
            {
                regex.Append(last ? ".*" : "(?:[^/]*/)*");
                continue;
            }

            for (int i = 0; i < segment.Length; i++)
            {
                char c = segment[i];
                int close;
                if (c == '*')
                {
                    regex.Append("[^/]*");
                }
                else if (c == '?')
                {
                    regex.Append("[^/]");
                }
                else if (c == '[' && (close = segment.IndexOf(']', i + 2)) > 0)
                {
                    string set = segment.Substring(i + 1, close - i - 1);
                    bool negated = set[0] is '!' or '^';
                    regex.Append(negated ? "[^" : "[").Append(Regex.Escape(negated ? set.Substring(1) : set).Replace("\\-", "-", StringComparison.Ordinal)).Append(']');
                    i = close;
                }
                else
                {
                    regex.Append(Regex.Escape(c.ToString()));
                }
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        return regex.ToString();
    }
}
