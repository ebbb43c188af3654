using System.Reflection;
using System.Text.RegularExpressions;
using JiraConfigGen.Tests.Infrastructure;

namespace JiraConfigGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with an approved file kept in the repository (<c>Snapshots/Name.approved.cs</c>).
/// On a difference it writes <c>Name.received.cs</c> beside it and fails with the first differing line;
/// review the received file and rename it to approve it (or run with <c>JCG_ACCEPT_SNAPSHOTS=1</c>, which is
/// refused in CI: there it would turn every snapshot test into self-approval). The generator's version is
/// scrubbed, as Verify does, so a version bump changes no snapshot; <see cref="GeneratorVersion"/> checks it.
/// </summary>
public static partial class SnapshotAssert
{
    /// <summary>What the version in <c>GeneratedCode("JiraConfigGen", "...")</c> is replaced by.</summary>
    public const string VersionPlaceholder = "{generator-version}";

    public static void Matches(string name, string actual)
    {
        string directory = Path.Combine(SourceDirectory(), "Snapshots");
        string approvedPath = Path.Combine(directory, name + ".approved.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = ScrubVersion(actual.ReplaceLineEndings("\n"));

        if (Environment.GetEnvironmentVariable("JCG_ACCEPT_SNAPSHOTS") == "1")
        {
            Assert.False(TestRun.NothingMaySkip, "JCG_ACCEPT_SNAPSHOTS=1 is refused in CI: it would approve whatever the generator emits. Accept snapshots locally and commit them.");
            File.WriteAllText(approvedPath, actual);
        }

        string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        Assert.Fail(approved is null
            ? $"No approved snapshot {approvedPath}; review {receivedPath} and rename it to approve."
            : $"Generated source differs from {approvedPath} at {FirstDifference(approved, actual)}; see {receivedPath}.");
    }

    /// <summary>The version written in <paramref name="source"/>'s <c>GeneratedCode</c> attribute.</summary>
    public static string GeneratorVersion(string source) => GeneratedCodeVersion().Match(source).Groups[1].Value;

    private static string ScrubVersion(string source) => GeneratedCodeVersion().Replace(source, m => m.Value.Replace(m.Groups[1].Value, VersionPlaceholder, StringComparison.Ordinal));

    [GeneratedRegex("""GeneratedCode\("JiraConfigGen", "([^"]*)"\)""")]
    private static partial Regex GeneratedCodeVersion();

    /// <summary>This project's source directory (snapshots and repository files are found from it).</summary>
    public static string SourceDirectory() =>
        typeof(SnapshotAssert).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;

    /// <summary>The repository's root directory.</summary>
    public static string RepositoryRoot() => Path.GetFullPath(Path.Combine(SourceDirectory(), "..", ".."));

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n');
        string[] a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string left = i < e.Length ? e[i] : "<end>";
            string right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}:\n  approved: {left}\n  received: {right}";
            }
        }

        return "line endings";
    }
}
