using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// <c>--cli [runs]</c>: a cold <c>jira-connections validate</c> of 200 files against <c>ajv-cli</c> validating the
/// same files with the shipped schema, side by side in one run. Each run is a new process, as in CI or a
/// pre-commit hook; the two commands alternate, so both see the same machine. The tool is packed and installed
/// from its package exactly as a user installs it (a framework-dependent .NET tool, no ReadyToRun), and ajv-cli
/// 5 from npm (<c>JCG_AJV</c> names another). Prints each command's median, mean and fastest wall time and the
/// ratio of the medians; asserts nothing about time.
/// </summary>
internal static class CliHarness
{
    public const string Switch = "--cli";
    private const int Files = 200;
    private const int ConnectionsPerFile = 5;

    public static int Run(string[] args)
    {
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        string repository = FindRepository();
        string root = Directory.CreateTempSubdirectory("jcg-cli-bench-").FullName;
        try
        {
            string tool = InstallTool(repository, root);
            string ajv = Environment.GetEnvironmentVariable("JCG_AJV") is { Length: > 0 } configured ? configured : InstallAjv(root);
            string files = Path.Combine(root, "repo");
            WriteFiles(files, repository);

            (string Name, string Program, string[] Arguments)[] commands =
            [
                ("jira-connections validate", tool, ["validate"]),
                ("ajv-cli validate (schema)", ajv, ["validate", "--spec=draft7", "--strict=false", "--all-errors", "-s", "jira-connections.schema.json", "-d", "teams/*/jira-connections.json"]),
            ];

            // Both must say the same thing about the files, or the race means nothing.
            foreach ((string name, string program, string[] arguments) in commands)
            {
                (int exit, string output) = Execute(program, arguments, files);
                if (exit != 0)
                {
                    Console.Error.WriteLine($"{name} did not accept the {Files} valid files (exit {exit}):\n{output}");
                    return 1;
                }
            }

            var times = commands.Select(_ => new List<double>()).ToArray();
            for (int run = 0; run < runs + 2; run++)
            {
                for (int c = 0; c < commands.Length; c++)
                {
                    var watch = Stopwatch.StartNew();
                    Execute(commands[c].Program, commands[c].Arguments, files);
                    if (run >= 2)
                    {
                        times[c].Add(watch.Elapsed.TotalMilliseconds); // the first two rounds warm the disk cache
                    }
                }
            }

            Console.WriteLine($"Cold validation of {Files} files ({Files * ConnectionsPerFile} connections), {runs} runs each, alternating, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            Console.WriteLine($"{"Command",-28} {"Median",10} {"Mean",10} {"Fastest",10}");
            for (int c = 0; c < commands.Length; c++)
            {
                List<double> sorted = times[c].Order().ToList();
                Console.WriteLine($"{commands[c].Name,-28} {sorted[sorted.Count / 2],8:0} ms {sorted.Average(),8:0} ms {sorted[0],8:0} ms");
            }

            double ratio = Median(times[1]) / Median(times[0]);
            Console.WriteLine($"ajv-cli median / jira-connections median: {ratio:0.00} (goal: at least 1.00, no slower than ajv-cli)");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string InstallTool(string repository, string root)
    {
        string version = $"0.0.0-bench.{DateTime.UtcNow:yyyyMMddHHmmss}";
        string feed = Path.Combine(root, "feed");
        string tools = Path.Combine(root, "tools");
        Require(Execute("dotnet", ["pack", Path.Combine(repository, "src", "JiraConfigGen.Cli", "JiraConfigGen.Cli.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}"], repository), "dotnet pack");
        Require(Execute("dotnet", ["tool", "install", "JiraConfigGen.Cli", "--tool-path", tools, "--add-source", feed, "--version", version], root), "dotnet tool install");
        return Path.Combine(tools, OperatingSystem.IsWindows() ? "jira-connections.exe" : "jira-connections");
    }

    private static string InstallAjv(string root)
    {
        string prefix = Path.Combine(root, "npm");
        Require(Execute("npm", ["install", "--silent", "--prefix", prefix, "ajv-cli@5.0.0"], root), "npm install ajv-cli");
        return Path.Combine(prefix, "node_modules", ".bin", "ajv");
    }

    /// <summary>200 directories of one valid file each (strict JSON: ajv reads no comments), and the schema.</summary>
    private static void WriteFiles(string root, string repository)
    {
        for (int team = 0; team < Files; team++)
        {
            string directory = Path.Combine(root, "teams", $"team{team:000}");
            Directory.CreateDirectory(directory);
            var connections = Enumerable.Range(0, ConnectionsPerFile).Select(c => new Dictionary<string, object>
            {
                ["nickname"] = $"Team{team}Connection{c}",
                ["username"] = $"bot{c}@team{team}.example.com",
                ["instanceUrl"] = $"team{team}.atlassian.net",
                ["apiToken"] = new Dictionary<string, string> { ["env"] = $"JIRA_TEAM{team}_C{c}_TOKEN" },
                ["description"] = $"Connection {c} of team {team}",
                ["webhooks"] = 2,
            });
            File.WriteAllText(Path.Combine(directory, "jira-connections.json"), JsonSerializer.Serialize(new { connections }, new JsonSerializerOptions { WriteIndented = true }));
        }

        File.Copy(Path.Combine(repository, "jira-connections.schema.json"), Path.Combine(root, "jira-connections.schema.json"));
    }

    private static (int ExitCode, string Output) Execute(string program, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    private static void Require((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed (exit {result.ExitCode}):\n{result.Output}");
        }
    }

    private static string FindRepository()
    {
        for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "JiraConfigGen.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException("Run this from the repository: JiraConfigGen.sln was not found above " + AppContext.BaseDirectory);
    }
}
