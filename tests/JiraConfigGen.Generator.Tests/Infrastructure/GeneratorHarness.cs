using System.Collections.Immutable;
using System.Text;
using JiraConfigGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests.Infrastructure;

/// <summary>
/// An AdditionalFile held in memory. A large one is decoded from UTF-8 bytes, as the compiler reads a
/// file: into a chunked text above 40K characters, not one string (when the bytes give the same text).
/// </summary>
public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = Create(text);

    private static SourceText Create(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return text.Length > 40_000 && !text.StartsWith('\uFEFF') && Encoding.UTF8.GetString(bytes) == text
            ? SourceText.From(new MemoryStream(bytes), Encoding.UTF8)
            : SourceText.From(text, Encoding.UTF8);
    }

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>
/// MSBuild properties (<c>build_property.X</c>) and item metadata (<c>build_metadata.AdditionalFiles.X</c>)
/// as the compiler passes them to generators.
/// </summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> globals, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? files = null) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globals);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        files is not null && files.TryGetValue(textFile.Path, out IReadOnlyDictionary<string, string>? values) ? new Options(values) : Options.Empty;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>The outcome of one generator run: its diagnostics, its sources, and the compilation with them.</summary>
public sealed record GeneratorRun(
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<GeneratedSourceResult> Sources,
    Compilation OutputCompilation,
    GeneratorDriver Driver,
    Exception? Exception)
{
    /// <summary>The generated connections class, or null when nothing was emitted.</summary>
    public string? Source => Sources.IsEmpty ? null : Sources[0].SourceText.ToString();
}

/// <summary>
/// Runs the real generator inside the real C# compiler (no mocks): a compilation, AdditionalFiles,
/// MSBuild properties and parse options, exactly as <c>csc</c> hands them over.
/// </summary>
public static class GeneratorHarness
{
    public const string ProjectDirectory = "/project/";
    public const string DefaultPath = ProjectDirectory + "jira-connections.json";
    public const string DefaultRootNamespace = "Contoso.App";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static IReadOnlyList<MetadataReference> MetadataReferences => References.Value;

    public static CSharpParseOptions ParseOptions(LanguageVersion version = LanguageVersion.Latest) =>
        new(version, DocumentationMode.Diagnose);

    public static CSharpCompilation CreateCompilation(
        IEnumerable<string>? sources = null,
        LanguageVersion version = LanguageVersion.Latest,
        NullableContextOptions? nullable = null)
    {
        CSharpParseOptions parseOptions = ParseOptions(version);
        IEnumerable<SyntaxTree> trees = (sources ?? [])
            .Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, $"/project/User{i}.cs"));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: nullable ?? (version >= LanguageVersion.CSharp8 ? NullableContextOptions.Enable : NullableContextOptions.Disable),
            warningLevel: 9999);
        return CSharpCompilation.Create("UserProject", trees, References.Value, options);
    }

    /// <summary>Runs the generator on one connections file at <see cref="DefaultPath"/>.</summary>
    public static GeneratorRun Run(string json, string? rootNamespace = DefaultRootNamespace) =>
        Run([(DefaultPath, json)], rootNamespace: rootNamespace);

    /// <summary>
    /// Runs the generator on <paramref name="files"/>. Unless <paramref name="checkIncrementality"/> is false (the fuzzer,
    /// for speed), it then checks the run's caching (<see cref="IncrementalityAssert"/>): every test input is also a
    /// caching test.
    /// </summary>
    public static GeneratorRun Run(
        IEnumerable<(string Path, string Text)> files,
        CSharpCompilation? compilation = null,
        string? rootNamespace = DefaultRootNamespace,
        bool trackSteps = false,
        IReadOnlyDictionary<string, string>? properties = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? fileMetadata = null,
        bool checkIncrementality = true)
    {
        compilation ??= CreateCompilation();
        GeneratorDriver driver = CreateDriver(files, compilation, rootNamespace, trackSteps || checkIncrementality, properties, fileMetadata);
        GeneratorRun run = Run(driver, compilation);
        if (checkIncrementality && run.Exception is null)
        {
            IncrementalityAssert.CachedAfterUnrelatedEdit(run.Driver, compilation, "incrementality");
        }

        return run;
    }

    public static GeneratorDriver CreateDriver(
        IEnumerable<(string Path, string Text)> files,
        CSharpCompilation compilation,
        string? rootNamespace = DefaultRootNamespace,
        bool trackSteps = false,
        IReadOnlyDictionary<string, string>? properties = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? fileMetadata = null) =>
        CreateDriver(files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)), compilation, rootNamespace, trackSteps, properties, fileMetadata);

    public static GeneratorDriver CreateDriver(
        IEnumerable<AdditionalText> files,
        CSharpCompilation compilation,
        string? rootNamespace = DefaultRootNamespace,
        bool trackSteps = false,
        IReadOnlyDictionary<string, string>? properties = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? fileMetadata = null)
    {
        var globals = (properties ?? new Dictionary<string, string>()).ToDictionary(p => "build_property." + p.Key, p => p.Value);
        if (rootNamespace is not null)
        {
            globals["build_property.RootNamespace"] = rootNamespace;
        }

        return CSharpGeneratorDriver.Create(
            [new JiraConnectionsGenerator().AsSourceGenerator()],
            files,
            compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? ParseOptions(),
            new TestOptionsProvider(globals, fileMetadata),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
    }

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return new GeneratorRun(diagnostics, result.GeneratedSources, output, driver, result.Exception);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework the tests run on, plus the runtime library the generated code calls.
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll"))
            .Append(typeof(JiraConnection).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
