using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace JiraConfigGen.Cli.Validation;

/// <summary>
/// The severities the build would apply to a file's diagnostics: <c>dotnet_diagnostic.ID.severity</c> from the
/// global analyzer configs of the file's directory and every directory above it, as MSBuild discovers them
/// (every <c>.globalconfig</c>, and every <c>.editorconfig</c> that says <c>is_global = true</c>) and the
/// compiler merges them: the highest <c>global_level</c> wins (100 for a <c>.globalconfig</c>, 0 for an
/// <c>.editorconfig</c>, unless set), and a key set at one level by two files is set by neither.
/// Ordinary <c>.editorconfig</c> sections do not reach diagnostics in a JSON file, in the build or here.
/// </summary>
internal sealed partial class SeverityConfiguration
{
    private const string GlobalConfigName = ".globalconfig";
    private const string EditorConfigName = ".editorconfig";
    private const string KeyPrefix = "dotnet_diagnostic.";
    private const string KeySuffix = ".severity";

    private readonly Dictionary<string, ConfigFile?> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, ReportDiagnostic>> _byDirectory = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conflictsReported = new(StringComparer.Ordinal);
    private readonly Action<string> _warn;

    /// <param name="warn">Told, once per key and directory, of a key that two files set at one level.</param>
    public SeverityConfiguration(Action<string> warn) => _warn = warn;

    /// <summary>The severity set for each diagnostic ID (upper case) in <paramref name="directory"/>.</summary>
    public IReadOnlyDictionary<string, ReportDiagnostic> For(string directory)
    {
        if (_byDirectory.TryGetValue(directory, out IReadOnlyDictionary<string, ReportDiagnostic>? known))
        {
            return known;
        }

        // Key -> (level, value, file) of the winner so far; a null file marks a key that two files set at one level.
        var merged = new Dictionary<string, (int Level, string Value, string? File)>(StringComparer.OrdinalIgnoreCase);
        for (string? current = directory; current is not null; current = Path.GetDirectoryName(current))
        {
            foreach (string name in (ReadOnlySpan<string>)[GlobalConfigName, EditorConfigName])
            {
                if (Load(Path.Combine(current, name)) is not { } config)
                {
                    continue;
                }

                foreach (KeyValuePair<string, string> entry in config.Severities)
                {
                    if (!merged.TryGetValue(entry.Key, out (int Level, string Value, string? File) existing) || existing.Level < config.Level)
                    {
                        merged[entry.Key] = (config.Level, entry.Value, config.Path);
                    }
                    else if (existing.Level == config.Level)
                    {
                        if (existing.File is not null && _conflictsReported.Add(entry.Key + "\n" + existing.File + "\n" + config.Path))
                        {
                            _warn($"dotnet_diagnostic.{entry.Key}.severity is set both in {existing.File} and in {config.Path} at global_level {config.Level}, so neither applies (as in the build); remove one, or give one a higher global_level");
                        }

                        merged[entry.Key] = (config.Level, existing.Value, null);
                    }
                }
            }
        }

        var severities = new Dictionary<string, ReportDiagnostic>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, (int Level, string Value, string? File)> entry in merged)
        {
            if (entry.Value.File is not null && TryParseSeverity(entry.Value.Value, out ReportDiagnostic severity))
            {
                severities[entry.Key] = severity;
            }
        }

        _byDirectory[directory] = severities;
        return severities;
    }

    /// <summary>The editorconfig severity words, as the compiler reads them (case-insensitive).</summary>
    internal static bool TryParseSeverity(string value, out ReportDiagnostic severity)
    {
        severity = value.ToLowerInvariant() switch
        {
            "default" => ReportDiagnostic.Default,
            "error" => ReportDiagnostic.Error,
            "warning" => ReportDiagnostic.Warn,
            "suggestion" => ReportDiagnostic.Info,
            "silent" or "refactoring" => ReportDiagnostic.Hidden,
            "none" => ReportDiagnostic.Suppress,
            _ => (ReportDiagnostic)(-1),
        };
        return severity >= 0;
    }

    private ConfigFile? Load(string path)
    {
        if (!_files.TryGetValue(path, out ConfigFile? config))
        {
            config = File.Exists(path) ? ConfigFile.Parse(path, ReadConfig(path)) : null;
            _files[path] = config;
        }

        return config;
    }

    private static string ReadConfig(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Inputs.CommandException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>A global analyzer config's level and its severity keys (by ID); null for an ordinary .editorconfig.</summary>
    private sealed class ConfigFile
    {
        private ConfigFile(string path, int level, Dictionary<string, string> severities)
        {
            Path = path;
            Level = level;
            Severities = severities;
        }

        public string Path { get; }

        public int Level { get; }

        public Dictionary<string, string> Severities { get; }

        public static ConfigFile? Parse(string path, string text)
        {
            bool isGlobal = System.IO.Path.GetFileName(path) == GlobalConfigName;
            int? level = null;
            var severities = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in text.Split('\n'))
            {
                if (SectionPattern().IsMatch(line))
                {
                    break; // the keys of a global config's sections belong to the files those name, not to all
                }

                Match property = PropertyPattern().Match(line);
                if (!property.Success)
                {
                    continue;
                }

                string key = property.Groups[1].Value.ToLowerInvariant();
                string value = property.Groups[2].Value;
                if (key == "is_global")
                {
                    isGlobal |= string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
                }
                else if (key == "global_level" && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed))
                {
                    level = parsed;
                }
                else if (key.StartsWith(KeyPrefix, StringComparison.Ordinal) && key.EndsWith(KeySuffix, StringComparison.Ordinal) && key.Length > KeyPrefix.Length + KeySuffix.Length)
                {
                    severities[key.Substring(KeyPrefix.Length, key.Length - KeyPrefix.Length - KeySuffix.Length).ToUpperInvariant()] = value;
                }
            }

            bool named = System.IO.Path.GetFileName(path) == GlobalConfigName;
            return isGlobal ? new ConfigFile(path, level ?? (named ? 100 : 0), severities) : null;
        }
    }

    // The compiler's editorconfig grammar: "key = value" (or "key: value"), a trailing "# comment" or "; comment" dropped.
    [GeneratedRegex(@"^\s*([\w\.\-_]+)\s*[=:]\s*(.*?)\s*([#;].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyPattern();

    [GeneratedRegex(@"^\s*\[(([^#;]|\\#|\\;)+)\]\s*([#;].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionPattern();
}
