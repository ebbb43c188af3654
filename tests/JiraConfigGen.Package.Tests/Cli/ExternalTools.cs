namespace JiraConfigGen.Package.Tests.Cli;

/// <summary>
/// The tools other ecosystems check our output with. A test that needs one skips when it is missing, except
/// in CI (<see cref="JiraConfigGen.Tests.Infrastructure.TestRun.NothingMaySkip"/>), where that is a failure: <c>.ci/run</c> installs them, so their absence is a broken
/// run, not a reason to skip.
/// </summary>
public static class ExternalTools
{
    /// <summary>
    /// Microsoft's SARIF validator (npm <c>@microsoft/sarif-multitool</c>): <c>JCG_SARIF_MULTITOOL</c>, which
    /// <c>.ci/run</c> sets, or <c>sarif-multitool</c> on PATH.
    /// </summary>
    public static string SarifMultitool() => Require(
        Environment.GetEnvironmentVariable("JCG_SARIF_MULTITOOL") is { Length: > 0 } configured && File.Exists(configured) ? configured : OnPath("sarif-multitool"),
        "Microsoft's SARIF validator (npm install -g @microsoft/sarif-multitool, or set JCG_SARIF_MULTITOOL)");

    /// <summary>
    /// node, and a node_modules folder with Ajv and VS Code's JSON language service (npm <c>ajv</c>,
    /// <c>vscode-json-languageservice</c>, <c>vscode-languageserver-textdocument</c>): <c>JCG_NODE_MODULES</c>, which <c>.ci/run</c> sets.
    /// </summary>
    public static (string Node, string Modules) SchemaTools()
    {
        string? modules = Environment.GetEnvironmentVariable("JCG_NODE_MODULES");
        bool installed = modules is { Length: > 0 } && Directory.Exists(Path.Combine(modules, "ajv")) && Directory.Exists(Path.Combine(modules, "vscode-json-languageservice"));
        string node = Require(OnPath("node"), "node");
        Require(installed ? modules : null, "Ajv and VS Code's JSON language service (npm install ajv vscode-json-languageservice vscode-languageserver-textdocument, then set JCG_NODE_MODULES to that node_modules folder)");
        return (node, modules!);
    }

    /// <summary>pre-commit (<c>apt-get install pre-commit</c> or <c>pip install pre-commit</c>), on PATH.</summary>
    public static string PreCommit() => Require(OnPath("pre-commit"), "pre-commit (apt-get install pre-commit)");

    /// <summary>git, on PATH.</summary>
    public static string Git() => Require(OnPath("git"), "git");

    private static string Require(string? path, string what)
    {
        if (path is null && JiraConfigGen.Tests.Infrastructure.TestRun.NothingMaySkip)
        {
            throw new InvalidOperationException($"This test needs {what}, which .ci/run installs; it was not found.");
        }

        Skip.If(path is null, $"This test needs {what}.");
        return path!;
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
