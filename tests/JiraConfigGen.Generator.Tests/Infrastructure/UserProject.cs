using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace JiraConfigGen.Generator.Tests.Infrastructure;

/// <summary>
/// A user project: connection files, plus C# that uses what the generator made, compiled by the real
/// compiler with every warning on (documentation comments checked, nullable as asked) and optionally
/// loaded and run.
/// </summary>
public sealed class UserProject
{
    private UserProject(GeneratorRun run, Compilation compilation)
    {
        Run = run;
        Compilation = compilation;
    }

    public GeneratorRun Run { get; }

    public Compilation Compilation { get; }

    /// <summary>Warnings and errors of the whole compilation, generator's included.</summary>
    public IReadOnlyList<Diagnostic> Problems =>
        Run.Diagnostics.Concat(Compilation.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();

    public static UserProject Build(
        IEnumerable<(string Path, string Text)> files,
        string? userCode = null,
        LanguageVersion version = LanguageVersion.Latest,
        NullableContextOptions? nullable = null,
        string? rootNamespace = GeneratorHarness.DefaultRootNamespace)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(userCode is null ? [] : [userCode], version, nullable);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files, compilation, rootNamespace)
            .WithUpdatedParseOptions(GeneratorHarness.ParseOptions(version));
        GeneratorRun run = GeneratorHarness.Run(driver, compilation);
        return new UserProject(run, run.OutputCompilation);
    }

    /// <summary>
    /// C# that touches every public member of the generated class, found through the compiler's own
    /// view of it, so a compile test covers every accessor the files produce.
    /// </summary>
    public static string UsageOf(Compilation compilation)
    {
        INamedTypeSymbol type = compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type)
            .OfType<INamedTypeSymbol>()
            .Single(t => t.Locations.Any(l => l.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var lines = type.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.DeclaredAccessibility == Accessibility.Public && p.Name != "All")
            .Select(p => $"            Use({name}.{p.Name});");
        return $$"""
            namespace UserCode
            {
                /// <summary>Uses the generated connections.</summary>
                public static class Usage
                {
                    /// <summary>Touches every member.</summary>
                    /// <returns>How many connections there are.</returns>
                    public static int Run()
                    {
            {{string.Join("\n", lines)}}
                        if ({{name}}.TryGet("x", out var found))
                        {
                            Use(found);
                        }

                        return {{name}}.All.Count;
                    }

                    private static void Use(global::JiraConfigGen.JiraConnection connection)
                    {
                        global::System.GC.KeepAlive(connection);
                    }
                }
            }
            """;
    }

    /// <summary>Emits the compilation and loads it in a collectible context.</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        EmitResult result = Compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext("user-project", isCollectible: true).LoadFromStream(stream);
    }
}
