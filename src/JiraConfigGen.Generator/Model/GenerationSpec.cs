using Microsoft.CodeAnalysis.CSharp;

namespace JiraConfigGen.Generator.Model
{
    /// <summary>The MSBuild properties the generator reads (through <c>CompilerVisibleProperty</c>), as written.</summary>
    /// <param name="RootNamespace">The project's RootNamespace, the default namespace of the generated class.</param>
    /// <param name="Accessibility">JiraConfigGenAccessibility: <c>public</c> (default) or <c>internal</c>.</param>
    /// <param name="Enabled">JiraConfigGenEnabled: <c>true</c> (default) or <c>false</c> (then the generator is not run at all).</param>
    /// <param name="AutoInclude">JiraConfigGenAutoInclude: <c>true</c> (default) or <c>false</c>.</param>
    /// <param name="ProjectDirectory">MSBuildProjectDirectory: messages name other files by their path relative to it.</param>
    /// <param name="OutputType">The project's OutputType: a library's class is internal unless JiraConfigGenAccessibility says public.</param>
    internal sealed record BuildOptions(string? RootNamespace, string? Accessibility, string? Enabled = null, string? AutoInclude = null, string? ProjectDirectory = null, string? OutputType = null);

    /// <summary>What the project tells the generator besides the files.</summary>
    /// <param name="LanguageVersion">The effective C# version: nullable annotations are emitted from C# 8 on.</param>
    /// <param name="HasMaybeNullWhen">Whether <c>MaybeNullWhenAttribute</c> is accessible (not on .NET Framework without a polyfill).</param>
    internal sealed record GeneratorSettings(BuildOptions Build, LanguageVersion LanguageVersion, bool HasMaybeNullWhen)
    {
        public bool EmitNullableAnnotations => LanguageVersion >= LanguageVersion.CSharp8;
    }

    /// <summary>One generated accessor.</summary>
    /// <param name="ErrorIds">
    /// Null for a usable connection. Otherwise the IDs of its errors: the accessor exists (so C# that uses
    /// it still compiles and the JSON error is the one the user sees) but throws.
    /// </param>
    internal sealed record AccessorSpec(
        string Identifier,
        string Nickname,
        string? Username,
        string? InstanceUrl,
        TokenSpec? Token,
        string Auth,
        string? Description,
        bool Events,
        int Webhooks,
        string FileName,
        string? ErrorIds)
    {
        /// <summary>The accessor of a connection with errors: it keeps its name and none of its values, and throws naming <paramref name="errorIds"/>.</summary>
        public static AccessorSpec Failed(string identifier, string nickname, string auth, string? description, string fileName, string errorIds) =>
            new(identifier, nickname, null, null, null, auth, description, false, 0, fileName, errorIds);

        /// <summary>This accessor with one more error: <paramref name="id"/>, found after the connection was read.</summary>
        public AccessorSpec WithError(string id) =>
            Failed(Identifier, Nickname, Auth, Description, FileName, ErrorIds is null ? id : ErrorIds + ", " + id);
    }

    /// <summary>Everything the emitter needs; no locations, so moving text around in the JSON does not re-emit.</summary>
    internal sealed record GenerationSpec(
        string? Namespace,
        string ClassName,
        string Accessibility,
        EquatableArray<AccessorSpec> Accessors,
        bool EmitNullableAnnotations,
        bool HasMaybeNullWhen);

    /// <summary>The result of the merge step: the source to emit (if any file was found) and every diagnostic.</summary>
    internal sealed record GenerationResult(GenerationSpec? Source, EquatableArray<DiagnosticInfo> Diagnostics);
}
