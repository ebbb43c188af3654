using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// The generator's two ratio goals measured in pairs. BenchmarkDotNet measures each benchmark on its own,
/// a minute or more apart; on a machine whose speed drifts (a VM with busy neighbours), the two sides of
/// a ratio then run on different machines, as it were. Here every round runs <c>JsonDocument.Parse</c>
/// and the generator's cold run of the same text back to back, at 1,000 and 10,000 connections, so
/// both sides of each ratio see the same moment. Every run is timed on its own, collections included.
/// </summary>
internal static class PairedRatios
{
    public const string Switch = "--paired";

    private static readonly JsonDocumentOptions ParseOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static int Run(string[] args)
    {
        if (!GCSettings.IsServerGC)
        {
            // As in the compiler (csc and VBCSCompiler run with Server GC): run again in such a process.
            return RunAgainWithServerGC(args);
        }

        int rounds = args.Length > 1 && int.TryParse(args[1], out int n) && n >= 20 ? n : 200;
        var small = new Subject(1_000);
        var large = new Subject(10_000);
        Action[] steps = [small.Parse, small.Generate, large.Parse, large.Generate];

        Console.WriteLine($"Warming up, then {rounds} rounds; Server GC: {GCSettings.IsServerGC}, .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(3))
        {
            foreach (Action step in steps)
            {
                step();
            }
        }

        small.Forget();
        large.Forget();
        for (int round = 0; round < rounds; round++)
        {
            // A rotating order, so that no measurement always follows the same one.
            for (int i = 0; i < steps.Length; i++)
            {
                steps[(round + i) % steps.Length]();
            }
        }

        Console.WriteLine();
        Console.WriteLine("| Connections | JsonDocument.Parse, mean (median) | Generator, cold run, mean (median) | Ratio of the means | Ratio per round: median (interquartile range) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (Subject subject in new[] { small, large })
        {
            double[] ratios = subject.GenerateTimes.Zip(subject.ParseTimes, (g, p) => g / p).ToArray();
            Console.WriteLine(
                $"| {subject.Connections:N0} | {Ms(Mean(subject.ParseTimes))} ({Ms(Median(subject.ParseTimes))}) | {Ms(Mean(subject.GenerateTimes))} ({Ms(Median(subject.GenerateTimes))}) " +
                $"| **{Mean(subject.GenerateTimes) / Mean(subject.ParseTimes):F2}×** | {Median(ratios):F2}× ({Quantile(ratios, 0.25):F2}× to {Quantile(ratios, 0.75):F2}×) |");
        }

        double[] growth = large.GenerateTimes.Zip(small.GenerateTimes, (l, s) => l / s).ToArray();
        Console.WriteLine();
        Console.WriteLine($"Growth of the cold run from 1,000 to 10,000 connections: **{Mean(large.GenerateTimes) / Mean(small.GenerateTimes):F2}×** (ratio of the means); " +
            $"per round {Median(growth):F2}× ({Quantile(growth, 0.25):F2}× to {Quantile(growth, 0.75):F2}×).");
        return 0;
    }

    private static int RunAgainWithServerGC(string[] args)
    {
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(PairedRatios).Assembly.Location);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "1";
        using Process process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static double Mean(List<double> values) => values.Average();

    private static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    private static double Quantile(IEnumerable<double> values, double q)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        double at = q * (sorted.Length - 1);
        int below = (int)Math.Floor(at);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((at - below) * (sorted[above] - sorted[below]));
    }

    private static string Ms(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";

    /// <summary>One file size: its text in both forms, and the times of each side.</summary>
    private sealed class Subject
    {
        private readonly string _json;
        private readonly SourceText _text;
        private readonly CSharpCompilation _compilation = Inputs.Compilation();

        public Subject(int connections)
        {
            Connections = connections;
            _json = Inputs.ConnectionsFile(connections);
            _text = Inputs.FileText(_json);
        }

        public int Connections { get; }

        public List<double> ParseTimes { get; } = [];

        public List<double> GenerateTimes { get; } = [];

        public void Parse() => ParseTimes.Add(Time(() =>
        {
            using JsonDocument document = JsonDocument.Parse(_json, ParseOptions);
            return document.RootElement.GetProperty("connections").GetArrayLength();
        }, Connections));

        public void Generate() => GenerateTimes.Add(Time(() =>
        {
            GeneratorDriverRunResult result = Inputs.Driver(_text).RunGenerators(_compilation).GetRunResult();
            return result.GeneratedTrees.Length + result.Diagnostics.Length;
        }, 1));

        public void Forget()
        {
            ParseTimes.Clear();
            GenerateTimes.Clear();
        }

        /// <summary>The time of one call in milliseconds; its result is checked, so no call can be skipped.</summary>
        private static double Time(Func<int> run, int expected)
        {
            long start = Stopwatch.GetTimestamp();
            int result = run();
            double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (result != expected)
            {
                throw new InvalidOperationException($"The run returned {result}, not {expected}: it did not do the work it is timed for.");
            }

            return elapsed;
        }
    }
}
