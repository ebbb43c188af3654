using System.Diagnostics;

namespace JiraConfigGen.Package.Tests.Cli;

/// <summary>What one run of a command printed, apart, and how it ended.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The non-empty lines of standard output.</summary>
    public string[] Lines => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// The jira-connections tool as a user gets it: the JiraConfigGen.Cli package of the <see cref="Feed"/>,
/// installed with `dotnet tool install --tool-path`, and run through the shim that install made (on this
/// machine's only runtime, .NET 10, by rolling forward from the tool's net8.0). Each run gets a clean
/// environment: its own state directory, no Redis or token variables of the test host.
/// </summary>
public sealed class Tool : IDisposable
{
    public Tool()
    {
        Feed feed = Feed.Instance;
        Root = Directory.CreateTempSubdirectory("jcg-cli-").FullName;
        ToolPath = Path.Combine(Root, "tools");
        StateHome = Path.Combine(Root, "state");
        Install = DotNet.Run(Root, "tool", "install", "JiraConfigGen.Cli", "--tool-path", ToolPath, "--add-source", feed.Directory, "--version", feed.Version);
        Assert.True(Install.ExitCode == 0, Install.ToString());
        Executable = Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "jira-connections.exe" : "jira-connections");
        Assert.True(File.Exists(Executable), Install.ToString());
    }

    public string Root { get; }

    public string ToolPath { get; }

    /// <summary>XDG_STATE_HOME of every run: where the record of failed sign-ins lives.</summary>
    public string StateHome { get; }

    public string Executable { get; }

    public CommandResult Install { get; }

    /// <summary>Runs <c>jira-connections</c> with <paramref name="arguments"/> in <paramref name="directory"/>.</summary>
    public ToolResult Run(string directory, params string[] arguments) => Run(directory, null, arguments);

    /// <summary>Runs <c>jira-connections</c>, with extra environment variables (a null value removes one).</summary>
    public ToolResult Run(string directory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        Start(Executable, directory, environment, arguments);

    /// <summary>Runs any program the way <see cref="Run(string, string[])"/> runs the tool.</summary>
    public ToolResult Start(string program, string directory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        ProcessStartInfo start = DotNet.StartInfo(program, directory, arguments);
        foreach (string key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("JIRA", StringComparison.OrdinalIgnoreCase) || key == "NO_COLOR")
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["XDG_STATE_HOME"] = StateHome;
        foreach (KeyValuePair<string, string?> variable in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        ProcessOutput output = DotNet.Execute(start, TimeSpan.FromMinutes(3));
        return new ToolResult(output.ExitCode, output.StandardOutput, output.StandardError);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
