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

    private static readonly string[] AllSteps = IncrementalityAssert.AllSteps;

    [Fact]
    public void TheHarnessChecksEveryStepTheGeneratorNames()
    {
        string[] expected =
        [
            TrackingNames.ConnectionFiles, TrackingNames.AllFiles, TrackingNames.BuildOptions, TrackingNames.BuildOptionDiagnostics, TrackingNames.Language,
            TrackingNames.NullableAttributes, TrackingNames.Settings, TrackingNames.Merged, TrackingNames.Source, TrackingNames.Diagnostics,
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), AllSteps.Order(StringComparer.Ordinal));
    }

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

        IncrementalityAssert.HoldsNoCompilerObjects(driver.GetRunResult().Results.Single(), "JCG011 case");
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

        IncrementalityAssert.EveryStepIs(second, "rerun", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        IncrementalityAssert.OutputsCached(second, "rerun");
    }

    private static IncrementalStepRunReason Reason(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].Single().Outputs.Single().Reason;
}
