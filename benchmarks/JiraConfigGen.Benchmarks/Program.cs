using BenchmarkDotNet.Running;
using JiraConfigGen.Benchmarks;

// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --paired [rounds]
if (args.Length > 0 && args[0] == PairedRatios.Switch)
{
    return PairedRatios.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
return 0;
