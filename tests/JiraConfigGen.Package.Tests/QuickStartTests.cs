using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests;

/// <summary>
/// The README's Quick start, done as written in a fresh <c>dotnet new console</c> app: its commands, its file and its
/// Program.cs, copied from the README, then built with warnings as errors and run.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class QuickStartTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("jcg-quick-start-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void TheQuickStartCompilesAndRunsAsWritten()
    {
        // The feed holds this build's package; the README's own commands do the rest.
        DotNet.IsolateProjectsIn(_root);
        string[] commands = Readme.Commands("quick-start");
        Assert.Equal(["dotnet new console -n JiraQuickStart", "cd JiraQuickStart", "dotnet add package JiraConfigGen"], commands);

        string directory = _root;
        foreach (string command in commands)
        {
            if (command.StartsWith("cd ", StringComparison.Ordinal))
            {
                directory = Path.Combine(directory, command[3..]);
                continue;
            }

            string[] arguments = command.Split(' ')[1..];
            if (command == "dotnet add package JiraConfigGen")
            {
                arguments = [.. arguments, "--version", Feed.Instance.Version];
            }

            CommandResult result = DotNet.Run(directory, arguments);
            output.WriteLine($"$ {command}\n{result}");
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        File.WriteAllText(Path.Combine(directory, "jira-connections.json"), Readme.Block("quick-start-json"));
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Readme.Block("quick-start-csharp"));

        CommandResult run = DotNet.Run(directory, "run", "-p:TreatWarningsAsErrors=true");
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Output.Split('\n').Count(line => line.Trim() == "https://contoso.atlassian.net/"));
    }
}
