using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests.Cli;

/// <summary>
/// <c>jira-connections validate</c>, installed from its package, on a repository without a .NET project:
/// the build's diagnostics for the same files, in each format, with the documented exit codes.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed partial class ValidateTests(Tool tool, FixtureRepository repository, ITestOutputHelper output) : IClassFixture<Tool>, IClassFixture<FixtureRepository>
{
    public static TheoryData<string> Fixtures => new(FixtureRepository.Fixtures());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void EveryDiagnosticIsTheBuildsForTheSameFiles(string fixture)
    {
        string[] build = repository.BuildDiagnostics(fixture);
        ToolResult cli = fixture == FixtureRepository.WarningsAsErrors
            ? tool.Run(repository.Root, "validate", fixture, "--warnings-as-errors")
            : tool.Run(repository.Root, "validate", fixture);
        output.WriteLine(cli.ToString());
        output.WriteLine("--- build\n" + string.Join("\n", build));

        Assert.Equal(build, cli.Lines.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(build.Any(line => line.Contains("): error JCG", StringComparison.Ordinal)) ? 1 : 0, cli.ExitCode);
        if (fixture.StartsWith("jcg", StringComparison.Ordinal))
        {
            // Each fixture makes the diagnostic it is named after.
            Assert.Contains(build, line => line.Contains(" " + fixture.ToUpperInvariant() + ": ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GitHubFormatIsOneWorkflowCommandPerDiagnosticThatParsesBackToTheTextReport()
    {
        ToolResult text = tool.Run(repository.Root, "validate");
        ToolResult github = tool.Run(repository.Root, "validate", "--format", "github");

        Assert.Equal(1, github.ExitCode);
        Assert.Equal(text.Lines.Length, github.Lines.Length);
        var parsed = github.Lines.Select(line =>
        {
            Match command = WorkflowCommand().Match(line);
            Assert.True(command.Success, "not a workflow command: " + line);
            string file = Unescape(command.Groups["file"].Value);
            Assert.False(Path.IsPathRooted(file), file);
            Assert.DoesNotContain('\\', file);
                        return $"{file}({command.Groups["line"].Value},{command.Groups["col"].Value}): {command.Groups["kind"].Value} {command.Groups["title"].Value}: {Unescape(command.Groups["message"].Value)}";
        }).ToArray();

        // The text report, without its help links: the same diagnostics at the same places.
        Assert.Equal(text.Lines.Select(line => HelpLink().Replace(line, string.Empty)), parsed);
        Assert.Contains(parsed, line => line.Contains("%", StringComparison.Ordinal)); // a value with '%' went through escaping
    }

    [SkippableFact]
    public void SarifIsValidForMicrosoftsValidatorWithRelativeUrisRulesAndRegions()
    {
        string validator = ExternalTools.SarifMultitool();
        string sarif = Path.Combine(tool.Root, "report.sarif");
        ToolResult run = tool.Run(repository.Root, "validate", "--format", "sarif", "--output", sarif);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardOutput);

        // Microsoft's validator: no error and no warning (its notes are advice, such as adding code snippets,
        // which would copy a token written in the file into the report).
        string log = Path.Combine(tool.Root, "validation.sarif");
        ToolResult validation = tool.Start(validator, tool.Root, null, "validate", sarif, "--output", log, "--log", "ForceOverwrite");
        Assert.True(validation.ExitCode == 0, validation.ToString());
        using (JsonDocument checkedLog = JsonDocument.Parse(File.ReadAllText(log)))
        {
            string[] problems = checkedLog.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Where(r => r.TryGetProperty("level", out JsonElement level) && level.GetString() is "error" or "warning")
                .Select(r => r.GetRawText())
                .ToArray();
            Assert.True(problems.Length == 0, string.Join("\n", problems));
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(sarif));
        JsonElement sarifRun = document.RootElement.GetProperty("runs").EnumerateArray().Single();
        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
        JsonElement driver = sarifRun.GetProperty("tool").GetProperty("driver");
        Assert.Equal("jira-connections", driver.GetProperty("name").GetString());
        JsonElement[] rules = driver.GetProperty("rules").EnumerateArray().ToArray();
        // Every rule but JCG016, which is about a project's MSBuild properties.
        Assert.Equal(Enumerable.Range(1, 17).Where(i => i != 16).Select(i => $"JCG{i:000}"), rules.Select(r => r.GetProperty("id").GetString()));
        foreach (JsonElement rule in rules)
        {
            Assert.EndsWith("#" + rule.GetProperty("id").GetString()!.ToLowerInvariant(), rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
            Assert.Contains(rule.GetProperty("defaultConfiguration").GetProperty("level").GetString(), new[] { "error", "warning" });
        }

        string[] text = tool.Run(repository.Root, "validate").Lines.Select(line => HelpLink().Replace(line, string.Empty)).ToArray();
        var results = sarifRun.GetProperty("results").EnumerateArray().Select(result =>
        {
            JsonElement location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            string uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString()!;
            Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
            Assert.False(Uri.TryCreate(uri, UriKind.Absolute, out _), uri);
            JsonElement region = location.GetProperty("region");
            int startLine = region.GetProperty("startLine").GetInt32();
            int endLine = region.GetProperty("endLine").GetInt32();
            Assert.True(endLine > startLine || region.GetProperty("endColumn").GetInt32() >= region.GetProperty("startColumn").GetInt32());
            string id = result.GetProperty("ruleId").GetString()!;
            Assert.Equal(id, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            return $"{Uri.UnescapeDataString(uri)}({startLine},{region.GetProperty("startColumn").GetInt32()}): {result.GetProperty("level").GetString()} {id}: {result.GetProperty("message").GetProperty("text").GetString()}";
        }).ToArray();
        Assert.Equal(text, results);
        Assert.DoesNotContain(repository.Root, File.ReadAllText(sarif), StringComparison.Ordinal); // nothing machine-specific

        // A duplicate links to the first of the two, as the build's additional location does.
        JsonElement duplicate = sarifRun.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "JCG002");
        JsonElement first = duplicate.GetProperty("relatedLocations").EnumerateArray().Single().GetProperty("physicalLocation");
        Assert.Equal("jcg002/jira-connections.json", first.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Contains($"at jira-connections.json({first.GetProperty("region").GetProperty("startLine").GetInt32()},{first.GetProperty("region").GetProperty("startColumn").GetInt32()})", duplicate.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonFormatIsOneObjectPerDiagnostic()
    {
        ToolResult json = tool.Run(repository.Root, "validate", "--format", "json", "jcg003", "jcg013");

        Assert.Equal(1, json.ExitCode);
        using JsonDocument document = JsonDocument.Parse(json.StandardOutput);
        JsonElement[] diagnostics = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, diagnostics.Length);
        JsonElement first = diagnostics[0];
        Assert.Equal("JCG003", first.GetProperty("id").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Equal("jcg003/jira-connections.json", first.GetProperty("path").GetString());
        Assert.Equal(6, first.GetProperty("line").GetInt32());
        Assert.Equal(22, first.GetProperty("column").GetInt32());
        Assert.Equal(6, first.GetProperty("endLine").GetInt32());
        Assert.Equal(54, first.GetProperty("endColumn").GetInt32());
        Assert.Equal("Connection 'Production': instanceUrl must not include 'https://'; write 'contoso.atlassian.net'", first.GetProperty("message").GetString());
        Assert.Equal("instanceUrl includes a scheme", first.GetProperty("title").GetString());
        Assert.EndsWith("README.md#jcg003", first.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
        Assert.Equal("warning", diagnostics[2].GetProperty("severity").GetString());
    }

    [Fact]
    public void ExitCodeIsZeroWithoutAnErrorAndWarningsAsErrorsMakesAWarningFail()
    {
        Assert.Equal(0, tool.Run(repository.Root, "validate", "clean").ExitCode);
        Assert.Equal(0, tool.Run(repository.Root, "validate", "jcg013").ExitCode); // a warning only
        ToolResult strict = tool.Run(repository.Root, "validate", "jcg013", "--warnings-as-errors");
        Assert.Equal(1, strict.ExitCode);
        Assert.StartsWith("jcg013/jira-connections.json(3,45): error JCG013: ", strict.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.jira-connections.json", "jira-connections: missing.jira-connections.json: no such file or directory")]
    [InlineData("nowhere/**/*.json", "jira-connections: 'nowhere/**/*.json' matches no file")]
    [InlineData("--format=xml", "jira-connections: Argument 'xml' not recognized.")]
    [InlineData("--no-such-option", "jira-connections: --no-such-option: no such option")]
    [InlineData("--output=/proc/version/report.txt", "jira-connections: cannot write /proc/version/report.txt")]
    public void ExitCodeIsTwoWithOneLineOnStandardErrorWhenTheCommandCannotRun(string argument, string reason)
    {
        ToolResult run = tool.Run(repository.Root, "validate", "clean", argument);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardOutput);
        string line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(reason, line, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatCannotBeReadOrADirectoryWithoutFilesIsExitCodeTwo()
    {
        string root = Directory.CreateTempSubdirectory("jcg-unreadable-").FullName;
        try
        {
            ToolResult empty = tool.Run(root, "validate");
            Assert.Equal(2, empty.ExitCode);
            Assert.StartsWith("jira-connections: no jira-connections.json or *.jira-connections.json under .", empty.StandardError, StringComparison.Ordinal);

            // A connections file that is a broken symbolic link: found, and unreadable.
            File.CreateSymbolicLink(Path.Combine(root, "ops.jira-connections.json"), Path.Combine(root, "gone.json"));
            ToolResult broken = tool.Run(root, "validate");
            Assert.Equal(2, broken.ExitCode);
            Assert.Equal("jira-connections: cannot read ops.jira-connections.json: it does not exist (a broken symbolic link?)\n", broken.StandardError);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void FilesOfOneDirectoryAreOneSetAndMergeMakesEveryFileOne()
    {
        string root = Directory.CreateTempSubdirectory("jcg-merge-").FullName;
        try
        {
            foreach (string team in new[] { "billing", "support" })
            {
                Directory.CreateDirectory(Path.Combine(root, team));
                File.WriteAllText(Path.Combine(root, team, "jira-connections.json"), $$"""
                    {
                      "namespace": "Contoso.{{team}}",
                      "connections": [ { "nickname": "Production", "username": "{{team}}@contoso.com", "instanceUrl": "{{team}}.atlassian.net", "apiToken": { "env": "JIRA_TOKEN" } } ]
                    }
                    """);
            }

            ToolResult apart = tool.Run(root, "validate");
            Assert.True(apart.ExitCode == 0, apart.ToString());
            Assert.Equal("jira-connections: 2 files in 2 sets: no problems\n", apart.StandardError);

            ToolResult merged = tool.Run(root, "validate", "--merge");
            Assert.Equal(1, merged.ExitCode);
            Assert.Equal(
                [
                    $"support/jira-connections.json(2,16): error JCG015: \"namespace\" is 'Contoso.support' here but 'Contoso.billing' at billing/jira-connections.json(2,16); the connection files of a project make one class, so set the same value in both or remove one ({Help("jcg015")})",
                    $"support/jira-connections.json(3,34): error JCG002: Nickname 'Production' repeats the nickname of the connection at billing/jira-connections.json(3,34); nicknames must be unique (trimmed, case-insensitive): rename one of them ({Help("jcg002")})",
                ],
                merged.Lines);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void SearchSkipsBuildOutputGitAndNodeModulesFollowsNoDirectoryLinkAndGlobsMatchAnyName()
    {
        string root = Directory.CreateTempSubdirectory("jcg-search-").FullName;
        try
        {
            string good = """{ "connections": [ { "nickname": "A", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } } ] }""";
            string bad = """{ "connections": [ { "nickname": "A", "username": "a@contoso.com", "instanceUrl": "https://contoso.atlassian.net", "apiToken": { "env": "A" } } ] }""";
            foreach (string path in new[] { "jira-connections.json", ".config/ops.jira-connections.json", "deep/er/JIRA-CONNECTIONS.JSON" })
            {
                Write(root, path, good);
            }

            foreach (string path in new[] { "bin/jira-connections.json", "src/obj/jira-connections.json", ".git/jira-connections.json", "node_modules/x/jira-connections.json", "legacy/connections.json" })
            {
                Write(root, path, bad);
            }

            Directory.CreateSymbolicLink(Path.Combine(root, "deep", "er", "loop"), root);

            ToolResult search = tool.Run(root, "validate");
            Assert.True(search.ExitCode == 0, search.ToString());
            Assert.Equal("jira-connections: 3 files in 3 sets: no problems\n", search.StandardError);

            // A glob names files by pattern, whatever their names (case-sensitive, as Linux is); it skips the same directories.
            ToolResult glob = tool.Run(root, "validate", "**/*connections.json");
            Assert.Equal(1, glob.ExitCode);
            Assert.Equal(["legacy/connections.json(1,83): error JCG003"], glob.Lines.Select(l => l[..l.IndexOf(':', l.IndexOf(')', StringComparison.Ordinal) + 3)]));
            Assert.Equal("jira-connections: 3 files in 3 sets: 1 error, 0 warnings\n", glob.StandardError);
            Assert.Equal("jira-connections: 2 files in 2 sets: no problems\n", tool.Run(root, "validate", "deep/*/[jJ]IRA-*.[jJ][sS][oO][nN]", ".config/?ps.*.json").StandardError);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void NoOutputRepeatsATokenOrPasswordWrittenInTheFileNotEvenTheSourceLines()
    {
        string[] secrets = ["not-a-real-token-but-written-in-the-file", "hunter2"];
        foreach (string format in new[] { "text", "github", "sarif", "json" })
        {
            ToolResult run = tool.Run(repository.Root, "validate", "jcg003", "jcg007", "--format", format, "--show-source");
            Assert.Equal(1, run.ExitCode);
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
            }
        }

        ToolResult list = tool.Run(repository.Root, "list", "jcg003", "jcg007");
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain("hunter2", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowSourcePrintsTheLineWithACaretUnderTheColumnAndHidesWhatCouldBeASecret()
    {
        string root = Directory.CreateTempSubdirectory("jcg-source-").FullName;
        try
        {
            Write(root, "jira-connections.json", "{\n\t\"connections\": [],\n\t\"colour\": 1\n}\n");
            ToolResult run = tool.Run(root, "validate", "--show-source");
            Assert.Equal(
                [
                    $"jira-connections.json(2,17): warning JCG014: jira-connections.json declares no connections; add one to \"connections\", or delete the file ({Help("jcg014")})",
                    " 2 | \t\"connections\": [],",
                    "   | \t               ^",
                    $"jira-connections.json(3,2): warning JCG009: Unknown property \"colour\" in the root object is ignored ({Help("jcg009")})",
                    " 3 | \t\"colour\": 1",
                    "   | \t^~~~~~~~", // the tab kept, so the caret sits under column 2 in any terminal
                ],
                run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        // A long line is shown around the place; a token written in the file is shown as stars.
        string[] lines = tool.Run(repository.Root, "validate", "jcg007", "--show-source").StandardOutput.Split('\n');
        Assert.Equal(" 3 | …m\", \"instanceUrl\": \"contoso.atlassian.net\", \"apiToken\": \"****************************************\" }", lines[1]);
        Assert.Equal("   |  " + new string(' ', 56) + "^" + new string('~', 41), lines[2]);
    }

    private static void Write(string root, string relativePath, string content)
    {
        string path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static string Unescape(string value) =>
        value.Replace("%0A", "\n", StringComparison.Ordinal).Replace("%0D", "\r", StringComparison.Ordinal)
            .Replace("%3A", ":", StringComparison.Ordinal).Replace("%2C", ",", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);

    [GeneratedRegex(@"^::(?<kind>error|warning) file=(?<file>[^,]+),line=(?<line>\d+),endLine=\d+,col=(?<col>\d+),endColumn=\d+,title=(?<title>JCG\d{3})::(?<message>.*)$")]
    private static partial Regex WorkflowCommand();

    [GeneratedRegex(@" \(https://[^ ]+#jcg\d{3}\)$")]
    private static partial Regex HelpLink();

    /// <summary>A diagnostic's help link as the packed tool writes it: the README of its release tag.</summary>
    private static string Help(string anchor) => $"https://github.com/JiraConfigGen/JiraConfigGen/blob/v{Feed.Instance.Version}/README.md#{anchor}";
}
