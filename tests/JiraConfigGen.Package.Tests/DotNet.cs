using System.Diagnostics;
using System.Text;

namespace JiraConfigGen.Package.Tests;

/// <summary>The outcome of one `dotnet` command.</summary>
public sealed record CommandResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s:\n{Output}";
}

/// <summary>Runs the real `dotnet` CLI, as a user would, in a clean environment.</summary>
public static class DotNet
{
    public static CommandResult Run(string workingDirectory, params string[] arguments)
    {
        ProcessStartInfo start = StartInfo("dotnet", workingDirectory, arguments);

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 4 minutes:\n{output}");
        }

        process.WaitForExit();
        return new CommandResult(process.ExitCode, output.ToString(), watch.Elapsed);
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
