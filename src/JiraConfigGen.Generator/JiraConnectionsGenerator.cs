using System;
using System.Collections.Immutable;
using System.Text;
using JiraConfigGen.Generator.Emit;
using JiraConfigGen.Generator.Model;
using JiraConfigGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator
{
    /// <summary>
    /// Reads every <c>jira-connections.json</c> / <c>*.jira-connections.json</c> AdditionalFile (and those marked
    /// with <c>JiraConnectionsFile</c> metadata), reports
    /// problems at their place in the JSON, and emits the typed connections class.
    /// </summary>
    /// <remarks>
    /// The pipeline: each file is read on its own (<see cref="ConnectionsFileReader"/>, cached per file),
    /// the files are merged with the project's settings (<see cref="ConnectionsMerger"/>), and the result
    /// splits into the source (<see cref="ConnectionsEmitter"/>) and the diagnostics. Every step carries
    /// only equatable values, so an edit to C# code re-runs nothing.
    /// </remarks>
    [Generator(LanguageNames.CSharp)]
    public sealed class JiraConnectionsGenerator : IIncrementalGenerator
    {
        /// <summary>The file name that is read, and the suffix of the others (<c>ops.jira-connections.json</c>).</summary>
        public const string FileName = "jira-connections.json";

        /// <summary>The MSBuild property that makes the generated class <c>internal</c>.</summary>
        public const string AccessibilityProperty = "JiraConfigGenAccessibility";

        /// <summary>AdditionalFiles metadata that marks a file of any name as a connections file (the JiraConnectionsFile item sets it).</summary>
        public const string FileMetadata = "build_metadata.AdditionalFiles.JiraConnectionsFile";

        private const string MaybeNullWhenAttribute = "System.Diagnostics.CodeAnalysis.MaybeNullWhenAttribute";

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<FileSpec> files = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Where(static input => IsConnectionsFile(input.Left.Path) || IsMarkedAsConnectionsFile(input.Right.GetOptions(input.Left)))
                .Select(static (input, cancellationToken) => ReadFile(input.Left, cancellationToken))
                .WithTrackingName(TrackingNames.ConnectionFiles);

            IncrementalValueProvider<BuildOptions> buildOptions = context.AnalyzerConfigOptionsProvider
                .Select(static (options, _) => new BuildOptions(
                    Property(options, "RootNamespace"),
                    Property(options, BuildOptionRules.Accessibility.Name),
                    Property(options, BuildOptionRules.Enabled.Name),
                    Property(options, BuildOptionRules.AutoInclude.Name),
                    Property(options, "MSBuildProjectDirectory"),
                    Property(options, "OutputType")))
                .WithTrackingName(TrackingNames.BuildOptions);

            IncrementalValueProvider<EquatableArray<DiagnosticInfo>> optionDiagnostics = buildOptions
                .Select(static (options, _) => BuildOptionRules.Check(options))
                .WithTrackingName(TrackingNames.BuildOptionDiagnostics);

            IncrementalValueProvider<LanguageVersion> language = context.ParseOptionsProvider
                .Select(static (options, _) => options is CSharpParseOptions csharp ? csharp.LanguageVersion : LanguageVersion.CSharp7_3)
                .WithTrackingName(TrackingNames.Language);

            IncrementalValueProvider<bool> hasMaybeNullWhen = context.CompilationProvider
                .Select(static (compilation, _) => compilation.GetTypeByMetadataName(MaybeNullWhenAttribute) is { } type && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
                .WithTrackingName(TrackingNames.NullableAttributes);

            IncrementalValueProvider<GeneratorSettings> settings = buildOptions
                .Combine(language)
                .Combine(hasMaybeNullWhen)
                .Select(static (input, _) => new GeneratorSettings(input.Left.Left, input.Left.Right, input.Right))
                .WithTrackingName(TrackingNames.Settings);

            IncrementalValueProvider<GenerationResult> merged = files.Collect()
                .WithTrackingName(TrackingNames.AllFiles)
                .Combine(settings)
                .Select(static (input, cancellationToken) => ConnectionsMerger.Merge(input.Left, input.Right, cancellationToken))
                .WithTrackingName(TrackingNames.Merged);

            IncrementalValueProvider<GenerationSpec?> source = merged
                .Select(static (result, _) => result.Source)
                .WithTrackingName(TrackingNames.Source);

            IncrementalValueProvider<EquatableArray<DiagnosticInfo>> diagnostics = merged
                .Select(static (result, _) => result.Diagnostics)
                .WithTrackingName(TrackingNames.Diagnostics);

            context.RegisterSourceOutput(source, static (context, spec) =>
            {
                if (spec is not null)
                {
                    context.AddSource(ConnectionsEmitter.HintName, ConnectionsEmitter.EmitSourceText(spec));
                }
            });

            context.RegisterSourceOutput(diagnostics, static (context, diagnostics) => Report(context, diagnostics));
            context.RegisterSourceOutput(optionDiagnostics, static (context, diagnostics) => Report(context, diagnostics));
        }

        private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }

        private static string? Property(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider options, string name) =>
            options.GlobalOptions.TryGetValue("build_property." + name, out string? value) ? value : null;

        /// <summary><c>jira-connections.json</c> or <c>*.jira-connections.json</c>, in any case.</summary>
        internal static bool IsConnectionsFile(string path)
        {
            string name = System.IO.Path.GetFileName(path);
            return string.Equals(name, FileName, StringComparison.OrdinalIgnoreCase)
                || name.EndsWith("." + FileName, StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsMarkedAsConnectionsFile(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options) =>
            options.TryGetValue(FileMetadata, out string? value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

        private static FileSpec ReadFile(AdditionalText text, System.Threading.CancellationToken cancellationToken)
        {
            SourceText? content = text.GetText(cancellationToken);
            return content is null
                ? ConnectionsFileReader.Unreadable(text.Path)
                : ConnectionsFileReader.Read(text.Path, content, cancellationToken);
        }
    }
}
