using BenchmarkDotNet.Running;
using JiraConfigGen.Benchmarks;

// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --paired [rounds]
// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --load [rounds] [seconds]
// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --cli [runs]
if (args.Length > 0 && args[0] == PairedRatios.Switch)
{
    return PairedRatios.Run(args);
}

if (args.Length > 0 && args[0] == LoadHarness.Switch)
{
    return LoadHarness.Run(args);
}

if (args.Length > 0 && args[0] == CliHarness.Switch)
{
    return CliHarness.Run(args);
}

if (args.Length > 0 && args[0] == LoadHarness.ChildSwitch)
{
    return LoadHarness.Child(args);
}

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
return 0;
