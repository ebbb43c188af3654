using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests;

/// <summary>
/// Projects of other kinds than the console app of <see cref="ConsumerFixture"/>, each built with the real
/// <c>dotnet build</c> from the package: a library and the application that references it, in one namespace; libraries
/// for netstandard2.0 and .NET Framework 4.8 (no <c>MaybeNullWhen</c>: the generated <c>TryGet</c> falls back); and a
/// project that turns automatic inclusion off.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class ConsumerKindsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = CreateRoot();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ALibraryAndTheAppThatReferencesItKeepTheirOwnConnectionsInOneNamespace()
    {
        Project("Lib", "Library", "net10.0", Connections("Contoso", "Billing"), """
            namespace Contoso
            {
                /// <summary>Uses the library's own connections.</summary>
                public static class LibraryJira
                {
                    /// <summary>The library's connection.</summary>
                    /// <returns>Its nickname.</returns>
                    public static string Name() => JiraConnections.Billing.Nickname;
                }
            }
            """);
        Project("App", "Exe", "net10.0", Connections("Contoso", "Support"), """
            namespace Contoso
            {
                internal static class Program
                {
                    private static void Main() => System.Console.WriteLine(JiraConnections.Support.Nickname + " and " + LibraryJira.Name());
                }
            }
            """, reference: "../Lib/Lib.csproj");

        CommandResult build = DotNet.Run(Path.Combine(_root, "App"), "build", "-p:TreatWarningsAsErrors=true");
        output.WriteLine(build.ToString());

        // With a public class in the library, the app's JiraConnections clashed with it (CS0436) and the app lost Support.
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("Support and Billing", DotNet.Run(Path.Combine(_root, "App"), "run", "--no-build").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("netstandard2.0")]
    [InlineData("net48")]
    public void TargetsWithoutMaybeNullWhenBuildWarningFreeWithNullableOn(string framework)
    {
        Project("Legacy", "Library", framework, Connections("Contoso.Legacy", "Production"), """
            namespace Contoso.Legacy
            {
                /// <summary>Looks connections up.</summary>
                public static class Lookup
                {
                    /// <summary>The nickname of the connection named <paramref name="name"/>, or null.</summary>
                    /// <param name="name">A nickname.</param>
                    /// <returns>The nickname as declared, or null.</returns>
                    public static string? Find(string name) => JiraConnections.TryGet(name, out JiraConfigGen.JiraConnection connection) ? connection.Nickname : null;
                }
            }
            """, extraProperties: "<Nullable>enable</Nullable><LangVersion>latest</LangVersion><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>");

        CommandResult build = DotNet.Run(Path.Combine(_root, "Legacy"), "build", "-p:TreatWarningsAsErrors=true");
        output.WriteLine(build.ToString());

        Assert.True(build.ExitCode == 0, build.ToString());
        string generated = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(_root, "Legacy", "obj"), "JiraConfigGen.Connections.g.cs", SearchOption.AllDirectories).Single());
        Assert.Contains("connection = null!;", generated, StringComparison.Ordinal); // the fallback, not MaybeNullWhen
        Assert.DoesNotContain("MaybeNullWhen", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoIncludeOffReadsOnlyTheFilesTheProjectNames()
    {
        Project("Manual", "Exe", "net10.0", Connections("Contoso", "Production"), """
            namespace Contoso
            {
                internal static class Program
                {
                    private static void Main() => System.Console.WriteLine(JiraConnections.All.Count);
                }
            }
            """, extraProperties: "<JiraConfigGenAutoInclude>false</JiraConfigGenAutoInclude>");
        string directory = Path.Combine(_root, "Manual");

        CommandResult off = DotNet.Run(directory, "build");
        Assert.NotEqual(0, off.ExitCode);
        Assert.Contains("error CS0103: The name 'JiraConnections' does not exist in the current context", off.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("JCG", off.Output, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), """
            <Project>
              <ItemGroup>
                <JiraConnectionsFile Include="jira-connections.json" />
              </ItemGroup>
            </Project>
            """);
        CommandResult named = DotNet.Run(directory, "build", "-p:TreatWarningsAsErrors=true");
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Equal("1", DotNet.Run(directory, "run", "--no-build").Output.Trim());
    }

    private static string Connections(string ns, string nickname) => $$"""
        { "namespace": "{{ns}}", "connections": [ { "nickname": "{{nickname}}", "username": "{{nickname.ToLowerInvariant()}}@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_TOKEN" } } ] }
        """;

    private void Project(string name, string outputType, string framework, string connections, string code, string? reference = null, string extraProperties = "")
    {
        string directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>{framework}</TargetFramework>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="JiraConfigGen" Version="{Feed.Instance.Version}" />
                {(reference is null ? string.Empty : $"<ProjectReference Include=\"{reference}\" />")}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "jira-connections.json"), connections);
        File.WriteAllText(Path.Combine(directory, "Code.cs"), code);
    }

    private static string CreateRoot()
    {
        string root = Directory.CreateTempSubdirectory("jcg-kinds-").FullName;
        DotNet.IsolateProjectsIn(root);
        return root;
    }
}
