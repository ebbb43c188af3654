using System.Reflection;

namespace JiraConfigGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with an approved file kept in the repository (<c>Snapshots/Name.approved.cs</c>).
/// On a difference it writes <c>Name.received.cs</c> beside it and fails with the first differing line;
/// review the received file and rename it to approve it (or run with <c>JCG_ACCEPT_SNAPSHOTS=1</c>).
/// </summary>
public static class SnapshotAssert
{
    public static void Matches(string name, string actual)
    {
        string directory = Path.Combine(SourceDirectory(), "Snapshots");
        string approvedPath = Path.Combine(directory, name + ".approved.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = actual.ReplaceLineEndings("\n");

        if (Environment.GetEnvironmentVariable("JCG_ACCEPT_SNAPSHOTS") == "1")
        {
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
