using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests.Cli;

/// <summary>
/// The README's "Config as code" section, done as written in a fresh repository: the tool from a .NET tool
/// manifest, the pre-commit hook (run by the real pre-commit), and the GitHub Action's step.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed partial class ConfigAsCodeTests(Tool tool, ITestOutputHelper output) : IClassFixture<Tool>, IDisposable
{
    private const string Bad = """
        { "connections": [ { "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "https://contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" } } ] }
        """;

    private const string Good = """
        { "connections": [ { "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" } } ] }
        """;

    /// <summary>Where the build puts JCG003 in <see cref="Bad"/>: the URL's value, quotes included (1-based columns).</summary>
    private static readonly int UrlColumn = Bad.IndexOf("\"https", StringComparison.Ordinal) + 1;
    private static readonly int UrlEndColumn = UrlColumn + "\"https://contoso.atlassian.net\"".Length;

    private readonly string _repository = Directory.CreateTempSubdirectory("jcg-config-as-code-").FullName;

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    [Fact]
    public void TheReadmesToolManifestRecipeWorksInAFreshRepository()
    {
        string[] recipe = Readme.Commands("tool-manifest");
        Assert.Equal(["dotnet new tool-manifest", "dotnet tool install JiraConfigGen.Cli", "dotnet tool run jira-connections validate"], recipe);
        File.WriteAllText(Path.Combine(_repository, "jira-connections.json"), Bad);

        ToolResult? last = null;
        foreach (string command in recipe)
        {
            // The feed holds a prerelease of this build: the install names it and its source.
            string[] words = command.Split(' ');
            string[] arguments = command.StartsWith("dotnet tool install", StringComparison.Ordinal)
                ? [.. words.Skip(1), "--version", Feed.Instance.Version, "--add-source", Feed.Instance.Directory]
                : words.Skip(1).ToArray();
            last = tool.Start("dotnet", _repository, null, arguments);
            output.WriteLine($"$ {command}\n{last}");
        }

        Assert.Equal(1, last!.ExitCode);
        Assert.StartsWith($"jira-connections.json(1,{UrlColumn}): error JCG003: ", last.StandardOutput, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_repository, "jira-connections.json"), Good);
        Assert.Equal(0, tool.Start("dotnet", _repository, null, "tool", "run", "jira-connections", "validate").ExitCode);
    }

    [SkippableFact]
    public void ThePreCommitHookFailsACommitThatBreaksAConnectionsFile()
    {
        string preCommit = ExternalTools.PreCommit();
        string git = ExternalTools.Git();
        var environment = new Dictionary<string, string?>
        {
            ["PRE_COMMIT_HOME"] = Path.Combine(_repository, ".pre-commit-cache"),
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_AUTHOR_NAME"] = "test",
            ["GIT_AUTHOR_EMAIL"] = "test@example.com",
            ["GIT_COMMITTER_NAME"] = "test",
            ["GIT_COMMITTER_EMAIL"] = "test@example.com",
        };
        string work = Path.Combine(_repository, "ops-repo");
        Directory.CreateDirectory(work);
        Assert.Equal(0, tool.Start(git, work, environment, "init", "-q").ExitCode);
        Assert.Equal(0, tool.Start("dotnet", work, null, "new", "tool-manifest").ExitCode);
        ToolResult install = tool.Start("dotnet", work, null, "tool", "install", "JiraConfigGen.Cli", "--version", Feed.Instance.Version, "--add-source", Feed.Instance.Directory);
        Assert.True(install.ExitCode == 0, install.ToString());
        Directory.CreateDirectory(Path.Combine(work, "teams"));
        File.WriteAllText(Path.Combine(work, "teams", "billing.jira-connections.json"), Bad);
        Assert.Equal(0, tool.Start(git, work, environment, "add", "-A").ExitCode);

        // pre-commit runs the hook of this repository's .pre-commit-hooks.yaml, as a team's config would name it. The hook
        // repository is that file alone, committed: what a clone of a release holds, whatever the working tree's state.
        string hooks = Path.Combine(_repository, "hooks-repo");
        Directory.CreateDirectory(hooks);
        File.Copy(Path.Combine(Feed.RepositoryRoot, ".pre-commit-hooks.yaml"), Path.Combine(hooks, ".pre-commit-hooks.yaml"));
        Assert.Equal(0, tool.Start(git, hooks, environment, "init", "-q").ExitCode);
        Assert.Equal(0, tool.Start(git, hooks, environment, "add", "-A").ExitCode);
        Assert.Equal(0, tool.Start(git, hooks, environment, "commit", "-q", "-m", "hooks").ExitCode);

        ToolResult failed = tool.Start(preCommit, work, environment, "try-repo", hooks, "jira-connections-validate", "--all-files");
        output.WriteLine(failed.ToString());
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"teams/billing.jira-connections.json(1,{UrlColumn}): error JCG003: ", failed.StandardOutput, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(work, "teams", "billing.jira-connections.json"), Good);
        Assert.Equal(0, tool.Start(git, work, environment, "add", "-A").ExitCode);
        ToolResult passed = tool.Start(preCommit, work, environment, "try-repo", hooks, "jira-connections-validate", "--all-files");
        Assert.True(passed.ExitCode == 0, passed.ToString());
    }

    [Fact]
    public void TheActionsStepInstallsTheToolAnnotatesThePullRequestAndWritesSarif()
    {
        Directory.CreateDirectory(Path.Combine(_repository, "teams"));
        File.WriteAllText(Path.Combine(_repository, "teams", "jira-connections.json"), Bad);
        File.WriteAllText(Path.Combine(_repository, "jira-connections.json"), Good);
        string outputs = Path.Combine(_repository, "github-output");
        var environment = new Dictionary<string, string?>
        {
            ["RUNNER_TEMP"] = Path.Combine(_repository, "runner-temp"),
            ["GITHUB_OUTPUT"] = outputs,
            ["JCG_PATHS"] = "teams\n*.json", // a new line or a space between paths; a glob for the tool to expand
            ["JCG_VERSION"] = Feed.Instance.Version,
            ["JCG_NUGET_SOURCE"] = Feed.Instance.Directory,
            ["JCG_SARIF_FILE"] = "jira-connections.sarif",
            ["JCG_WARNINGS_AS_ERRORS"] = "false",
            ["JCG_MERGE"] = "false",
        };

        ToolResult step = tool.Start("bash", _repository, environment, Path.Combine(Feed.RepositoryRoot, "src", "JiraConfigGen.Cli", "action", "validate.sh"));
        output.WriteLine(step.ToString());

        Assert.Equal(1, step.ExitCode);
        Assert.Equal([$"::error file=teams/jira-connections.json,line=1,endLine=1,col={UrlColumn},endColumn={UrlEndColumn},title=JCG003::Connection 'Production': instanceUrl must not include 'https://'; write 'contoso.atlassian.net'"], step.Lines);
        Assert.Equal("sarif-file=jira-connections.sarif\n", File.ReadAllText(outputs));
        using JsonDocument sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repository, "jira-connections.sarif")));
        Assert.Single(sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
    }

    [Fact]
    public void TheActionPassesEachInputToItsStepAndTheStepReadsEachOne()
    {
        string action = File.ReadAllText(Path.Combine(Feed.RepositoryRoot, "action.yml"));
        string step = File.ReadAllText(Path.Combine(Feed.RepositoryRoot, "src", "JiraConfigGen.Cli", "action", "validate.sh"));

        string[] declared = InputDeclaration().Matches(action[..action.IndexOf("outputs:", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToArray();
        string[] used = InputUse().Matches(action).Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.Equal(declared.Order(), used.Order());
        foreach (string variable in StepVariable().Matches(action).Select(m => m.Groups[1].Value))
        {
            Assert.Contains("${" + variable, step, StringComparison.Ordinal);
        }

        Assert.Contains("run: bash \"$GITHUB_ACTION_PATH/src/JiraConfigGen.Cli/action/validate.sh\"", action, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^  ([a-z-]+):\r?$", RegexOptions.Multiline)]
    private static partial Regex InputDeclaration();

    [GeneratedRegex(@"inputs\.([a-z-]+)")]
    private static partial Regex InputUse();

    [GeneratedRegex(@"^\s+(JCG_[A-Z_]+): \$\{\{", RegexOptions.Multiline)]
    private static partial Regex StepVariable();
}
