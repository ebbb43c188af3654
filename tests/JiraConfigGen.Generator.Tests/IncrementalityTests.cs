using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using JiraConfigGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests;

/// <summary>
/// The pipeline caches as Roslyn intends: C# edits re-run nothing, JSON edits re-emit, and no step
/// output holds a symbol, syntax, compilation, location or text.
/// </summary>
public class IncrementalityTests
{
    private const string Json = """
        { "connections": [
          { "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" } }
        ] }
        """;

    private static readonly string[] AllSteps =
    [
        TrackingNames.ConnectionFiles, TrackingNames.AllFiles, TrackingNames.BuildOptions, TrackingNames.Language,
        TrackingNames.NullableAttributes, TrackingNames.Settings, TrackingNames.Merged, TrackingNames.Source, TrackingNames.Diagnostics,
    ];

    [Fact]
    public void EditingUnrelatedCSharpRerunsNothing() =>
        AssertRerunIsCached(compilation => compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText("namespace User { class Existing { int Edited() => 42; } }", GeneratorHarness.ParseOptions(), "/project/User0.cs")));

    [Fact]
    public void AddingUnrelatedTypeDoesNotRegenerateOriginal() =>
        AssertRerunIsCached(compilation => compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace User { public sealed class Added { } }", GeneratorHarness.ParseOptions(), "/project/Added.cs")));

    [Fact]
    public void RerunOnAClonedCompilationIsCached() =>
        AssertRerunIsCached(compilation => compilation.Clone());

    [Fact]
    public void EditingTheJsonReEmits()
    {
        (GeneratorDriver driver, CSharpCompilation compilation, AdditionalText original) = FirstRun();

        var edited = new InMemoryAdditionalText(original.Path, Json.Replace("Production", "Staging", StringComparison.Ordinal));
        GeneratorDriver next = driver.ReplaceAdditionalText(original, edited).RunGenerators(compilation);
        GeneratorRunResult second = next.GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Reason(second, TrackingNames.ConnectionFiles));
        Assert.Equal(IncrementalStepRunReason.Modified, Reason(second, TrackingNames.Source));
        Assert.Contains("Staging =>", second.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MovingJsonTextAroundReportsAtTheNewPlaceButDoesNotReEmit()
    {
        string withWarning = Json.Replace("automation@contoso.com", "automation", StringComparison.Ordinal);
        (GeneratorDriver driver, CSharpCompilation compilation, AdditionalText original) = FirstRun(withWarning);
        Assert.Equal(1, driver.GetRunResult().Diagnostics.Single().Location.GetLineSpan().StartLinePosition.Line);

        var reformatted = new InMemoryAdditionalText(original.Path, "\n\n// moved down\n" + withWarning);
        GeneratorDriver next = driver.ReplaceAdditionalText(original, reformatted).RunGenerators(compilation);
        GeneratorRunResult second = next.GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, Reason(second, TrackingNames.ConnectionFiles));
        Assert.Equal(IncrementalStepRunReason.Modified, Reason(second, TrackingNames.Diagnostics));
        Assert.Equal(IncrementalStepRunReason.Unchanged, Reason(second, TrackingNames.Source));
        Assert.Equal(4, second.Diagnostics.Single().Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void StepOutputsHoldNoCompilerObjects()
    {
        (GeneratorDriver driver, _, _) = FirstRun(json: ConfigCases.Get("JCG011 one account, two tokens").CleanFiles.Single().Text);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in AllSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertHoldsNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, AdditionalText File) FirstRun(string json = Json)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(["namespace User { class Existing { } }"]);
        var file = new InMemoryAdditionalText(GeneratorHarness.DefaultPath, json);
        GeneratorDriver driver = GeneratorHarness.CreateDriver([file], compilation, trackSteps: true)
            .RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Single(first.GeneratedSources);
        Assert.All(AllSteps, step => Assert.True(first.TrackedSteps.ContainsKey(step), $"step {step} is not tracked"));
        return (driver, compilation, file);
    }

    /// <summary>Runs once, changes the C# side, runs again: every step and output must come from the cache.</summary>
    private static void AssertRerunIsCached(Func<CSharpCompilation, CSharpCompilation> change)
    {
        (GeneratorDriver driver, CSharpCompilation compilation, _) = FirstRun();

        GeneratorRunResult second = driver.RunGenerators(change(compilation)).GetRunResult().Results.Single();

        AssertEveryStepIs(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertOutputsCached(second);
    }

    private static void AssertEveryStepIs(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        foreach (string step in AllSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((_, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(allowed.Contains(reason), $"step {step} was {reason}");
                }
            }
        }
    }

    private static void AssertOutputsCached(GeneratorRunResult result)
    {
        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach ((_, IncrementalStepRunReason reason) in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs))
        {
            Assert.Equal(IncrementalStepRunReason.Cached, reason);
        }
    }

    private static IncrementalStepRunReason Reason(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].Single().Outputs.Single().Reason;

    /// <summary>Walks fields recursively (NetEscapades' check): a cached model must not pin compiler objects.</summary>
    private static void AssertHoldsNoCompilerObjects(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SyntaxTree or Location or SourceText or AdditionalText or SemanticModel,
            $"step {step} outputs a {type.Name}");

        if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true && type.IsValueType)
        {
            return; // TextSpan, LinePositionSpan, LanguageVersion...: plain values
        }

        if (value is DiagnosticDescriptor)
        {
            return; // static, immutable, equatable
        }

        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertHoldsNoCompilerObjects(item, step, seen);
            }

            if (type.IsArray || type.Name.StartsWith("ImmutableArray", StringComparison.Ordinal))
            {
                return;
            }
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoCompilerObjects(field.GetValue(value), step, seen);
        }
    }
}
