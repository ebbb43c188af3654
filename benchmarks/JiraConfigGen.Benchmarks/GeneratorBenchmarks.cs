using System.Text.Json;
using BenchmarkDotNet.Attributes;
using JiraConfigGen.Generator.Emit;
using JiraConfigGen.Generator.Json;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Benchmarks;

/// <summary>
/// The generator's full run (driver, read, rules, emit, and the compiler taking the source) for files of
/// 100, 1,000 and 10,000 connections, beside System.Text.Json's <c>JsonDocument.Parse</c> of the same
/// text: the ratio column is the generator's cost in parses. Server GC, as in the compiler: csc and
/// VBCSCompiler set <c>System.GC.Server: true</c> in their runtimeconfig.json.
/// </summary>
[MemoryDiagnoser]
[GcServer(true)]
public class GeneratorBenchmarks
{
    private string _json = string.Empty;
    private SourceText _text = null!;
    private CSharpCompilation _compilation = null!;

    [Params(100, 1_000, 10_000)]
    public int Connections { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = Inputs.ConnectionsFile(Connections);
        _text = Inputs.FileText(_json);
        _compilation = Inputs.Compilation();
    }

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse")]
    public int SystemTextJsonParse()
    {
        using JsonDocument document = JsonDocument.Parse(_json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.GetProperty("connections").GetArrayLength();
    }

    [Benchmark(Description = "Generator, cold run")]
    public int GeneratorColdRun()
    {
        GeneratorDriverRunResult result = Inputs.Driver(_text).RunGenerators(_compilation).GetRunResult();
        return result.GeneratedTrees.Length + result.Diagnostics.Length;
    }
}

/// <summary>The stages of one run, at 1,000 and 10,000 connections: where the time goes, and how each stage grows.</summary>
[MemoryDiagnoser]
[GcServer(true)]
public class GeneratorStageBenchmarks
{
    private string _json = string.Empty;
    private SourceText _text = null!;
    private FileSpec _file = null!;
    private GenerationSpec _spec = null!;
    private readonly GeneratorSettings _settings = new(new BuildOptions("Contoso.App", null), LanguageVersion.Latest, true);

    [Params(1_000, 10_000)]
    public int Connections { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = Inputs.ConnectionsFile(Connections);
        _text = Inputs.FileText(_json);
        _file = ConnectionsFileReader.Read(Inputs.Path, _text);
        _spec = ConnectionsMerger.Merge([_file], _settings).Source!;
    }

    [Benchmark(Description = "Parse (JSON to tape)")]
    public int Parse()
    {
        using JsonParseResult result = JsonParser.Parse(_text);
        return result.Root.Properties.Count;
    }

    [Benchmark(Description = "Read and per-file rules")]
    public object Read() => ConnectionsFileReader.Read(Inputs.Path, _text);

    [Benchmark(Description = "Cross-file rules")]
    public object Merge() => ConnectionsMerger.Merge([_file], _settings);

    [Benchmark(Description = "Emit")]
    public SourceText Emit() => ConnectionsEmitter.EmitSourceText(_spec);

    [Benchmark(Description = "Compiler parses the emitted source")]
    public SyntaxTree ParseEmitted() => CSharpSyntaxTree.ParseText(ConnectionsEmitter.Emit(_spec));
}

/// <summary>
/// A re-run after an unrelated C# edit, with a 10,000-connection file: the pipeline hands back cached
/// outputs. Compare with the cold run of <see cref="GeneratorBenchmarks"/> at 10,000.
/// </summary>
[MemoryDiagnoser]
[GcServer(true)]
public class IncrementalBenchmarks
{
    private GeneratorDriver _driver = null!;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _a = null!;
    private SyntaxTree _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        _a = CSharpSyntaxTree.ParseText("namespace User { public static class Existing { public static int Value => 1; } }", options, "/project/User.cs");
        _b = CSharpSyntaxTree.ParseText("namespace User { public static class Existing { public static int Value => 2; } }", options, "/project/User.cs");
        _compilation = Inputs.Compilation().RemoveAllSyntaxTrees().AddSyntaxTrees(_a);
        _driver = Inputs.Driver(Inputs.FileText(Inputs.ConnectionsFile(10_000))).RunGenerators(_compilation);
    }

    [Benchmark(Description = "Re-run after a C# edit, 10,000 connections")]
    public int RerunAfterUnrelatedEdit()
    {
        // Each call edits the user's file, as typing does: a new compilation, which the generator has not seen.
        SyntaxTree current = _compilation.SyntaxTrees.Single();
        _compilation = _compilation.ReplaceSyntaxTree(current, ReferenceEquals(current, _a) ? _b : _a);
        _driver = _driver.RunGenerators(_compilation);
        return _driver.GetRunResult().GeneratedTrees.Length;
    }
}
