using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/JiraConfigGen.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(JiraConfigGen.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
