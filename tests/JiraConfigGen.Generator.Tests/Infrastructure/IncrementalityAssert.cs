using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests.Infrastructure;

/// <summary>
/// The pipeline's caching, checked the way NetEscapades' generator tests check it: after an edit to C# that has nothing
/// to do with the connections, every tracked step is Cached or Unchanged and every output is Cached; and no step's value
/// holds a compiler object (a symbol, syntax, compilation, location or text), which would pin a compilation in memory
/// and defeat the cache. <see cref="GeneratorHarness"/> runs it for every test input.
/// </summary>
public static class IncrementalityAssert
{
    /// <summary>Every step the generator names (<see cref="TrackingNames"/>), found by reflection so a new one is included.</summary>
    public static readonly string[] AllSteps = typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>Runs <paramref name="driver"/> (which has run once, tracking steps) again after an unrelated C# edit.</summary>
    public static void CachedAfterUnrelatedEdit(GeneratorDriver driver, CSharpCompilation compilation, string label)
    {
        // A step that had no input (no connections file) is not tracked; IncrementalityTests checks that all are with one.
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        HoldsNoCompilerObjects(first, label);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Unrelated { internal static class Edit { internal static int Value => 42; } }",
            compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? GeneratorHarness.ParseOptions(),
            "/project/UnrelatedEdit.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        EveryStepIs(second, label, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        OutputsCached(second, label);
    }

    public static void EveryStepIs(GeneratorRunResult result, string label, params IncrementalStepRunReason[] allowed)
    {
        foreach (string step in AllSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps.GetValueOrDefault(step, []))
            {
                foreach ((_, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(allowed.Contains(reason), $"{label}: step {step} was {reason}");
                }
            }
        }
    }

    public static void OutputsCached(GeneratorRunResult result, string label)
    {
        Assert.NotEmpty(result.TrackedOutputSteps);
        foreach ((_, IncrementalStepRunReason reason) in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs))
        {
            Assert.True(reason == IncrementalStepRunReason.Cached, $"{label}: an output was {reason}");
        }
    }

    public static void HoldsNoCompilerObjects(GeneratorRunResult result, string label)
    {
        foreach (string step in AllSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps.GetValueOrDefault(step, []))
            {
                foreach ((object value, _) in run.Outputs)
                {
                    HoldsNoCompilerObjects(value, $"{label}: step {step}", new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    /// <summary>Walks fields recursively (NetEscapades' check): a cached model must not pin compiler objects.</summary>
    private static void HoldsNoCompilerObjects(object? value, string where, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SyntaxTree or Location or SourceText or AdditionalText or SemanticModel,
            $"{where} outputs a {type.Name}");

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
                HoldsNoCompilerObjects(item, where, seen);
            }

            if (type.IsArray || type.Name.StartsWith("ImmutableArray", StringComparison.Ordinal))
            {
                return;
            }
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            HoldsNoCompilerObjects(field.GetValue(value), where, seen);
        }
    }
}
