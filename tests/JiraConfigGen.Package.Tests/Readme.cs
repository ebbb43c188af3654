namespace JiraConfigGen.Package.Tests;

/// <summary>The README's recipes, read as a user copies them: the fenced block after <c>&lt;!-- recipe: NAME --&gt;</c>.</summary>
public static class Readme
{
    /// <summary>The block's text, without the indentation of its fence (a block inside a list item is indented).</summary>
    public static string Block(string name)
    {
        string readme = File.ReadAllText(Path.Combine(Feed.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        int marker = readme.IndexOf($"<!-- recipe: {name} -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no '<!-- recipe: {name} -->' block");
        int fence = readme.IndexOf("```", marker, StringComparison.Ordinal);
        int indent = fence - readme.LastIndexOf('\n', fence) - 1;
        int start = readme.IndexOf('\n', fence) + 1;
        int end = readme.IndexOf("\n" + new string(' ', indent) + "```", start - 1, StringComparison.Ordinal);
        return string.Join("\n", readme[start..end].Split('\n').Select(line => line.Length >= indent ? line[indent..] : line.TrimStart())) + "\n";
    }

    /// <summary>The block's commands: one per line, comments and blank lines removed.</summary>
    public static string[] Commands(string name) =>
        Block(name).Split('\n')
            .Select(line => (line.Contains('#', StringComparison.Ordinal) ? line[..line.IndexOf('#', StringComparison.Ordinal)] : line).Trim())
            .Where(line => line.Length > 0)
            .ToArray();
}
