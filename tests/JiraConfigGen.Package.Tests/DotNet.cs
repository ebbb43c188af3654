using System.Diagnostics;
using System.Text;

namespace JiraConfigGen.Package.Tests;

/// <summary>The outcome of one `dotnet` command.</summary>
public sealed record CommandResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s:\n{Output}";
}

/// <summary>What a program printed (each stream apart, and both in the order they came) and how it ended.</summary>
public sealed record ProcessOutput(int ExitCode, string StandardOutput, string StandardError, string Interleaved, TimeSpan Elapsed);

/// <summary>Runs the real `dotnet` CLI, as a user would, in a clean environment.</summary>
public static class DotNet
{
    public static CommandResult Run(string workingDirectory, params string[] arguments)
    {
        ProcessOutput output = Execute(StartInfo("dotnet", workingDirectory, arguments), TimeSpan.FromMinutes(4));
        return new CommandResult(output.ExitCode, output.Interleaved, output.Elapsed);
    }

    /// <summary>
    /// Runs <paramref name="start"/> to its end, reading both streams as they come; a program still running after
    /// <paramref name="timeout"/> is killed with its children, and the test fails with what it printed.
    /// </summary>
    public static ProcessOutput Execute(ProcessStartInfo start, TimeSpan timeout)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var both = new StringBuilder();
        void Receive(StringBuilder stream, string? line)
        {
            if (line is not null)
            {
                lock (both)
                {
                    stream.Append(line).Append('\n');
                    both.Append(line).Append('\n');
                }
            }
        }

        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Receive(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Receive(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {timeout.TotalMinutes:0.#} minutes:\n{both}");
        }

        process.WaitForExit();
        lock (both)
        {
            return new ProcessOutput(process.ExitCode, stdout.ToString(), stderr.ToString(), both.ToString(), watch.Elapsed);
        }
    }

    /// <summary>
    /// Makes <paramref name="directory"/> a place for projects of their own: no MSBuild or central package settings of
    /// the repository above it apply, and NuGet finds this build's packages in the <see cref="Feed"/>.
    /// </summary>
    public static void IsolateProjectsIn(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(directory, "nuget.config"), Feed.Instance.NuGetConfig);
    }

    /// <summary>
    /// How every test starts a program as a user would: in <paramref name="directory"/>, output captured, and none of the
    /// test host's own MSBuild, VSTest or testing platform settings leaking into it.
    /// </summary>
    public static ProcessStartInfo StartInfo(string program, string directory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string key in start.Environment.Keys.ToList())
        {
            if ((key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && key != "MSBUILDDISABLENODEREUSE") ||
                key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }
}
