using System.Text;
using System.Text.RegularExpressions;

namespace JiraConfigGen.Package.Tests.Cli;

/// <summary>
/// A repository of connections files without a .NET project: a copy of <c>CliFixtures</c> (one directory per
/// JCG diagnostic, severities from .globalconfig files, ...) plus files in the encodings the compiler
/// reads. Once, it is also built the way a team would today: a throwaway project in each directory that
/// references the JiraConfigGen package, all built by the real `dotnet build`; the build's JCG lines are
/// what the tool must print for the same files.
/// </summary>
public sealed partial class FixtureRepository : IDisposable
{
    /// <summary>The fixture whose project sets TreatWarningsAsErrors (the tool's --warnings-as-errors).</summary>
    public const string WarningsAsErrors = "warnings-as-errors";

    public FixtureRepository()
    {
        Feed feed = Feed.Instance;
        Root = Directory.CreateTempSubdirectory("jcg-fixtures-").FullName;
        CopyDirectory(Path.Combine(feed.Repository, "tests", "JiraConfigGen.Package.Tests", "CliFixtures"), Root);
        WriteEncodingFixtures(Root);

        // The build's setup, beside the files: MSBuild and NuGet look no further up, and find the feed.
        DotNet.IsolateProjectsIn(Root);
        var solution = new StringBuilder("<Solution>\n");
        foreach (string fixture in Fixtures())
        {
            string name = "Fixture_" + fixture.Replace('/', '_').Replace('-', '_');
            File.WriteAllText(Path.Combine(Root, fixture, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <RootNamespace>Fixture</RootNamespace>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>{(fixture == WarningsAsErrors ? "true" : "false")}</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="JiraConfigGen" Version="{feed.Version}" />
                  </ItemGroup>
                </Project>
                """);
            // A project has code beside its files, and MSBuild finds a project's .globalconfig files from its code.
            File.WriteAllText(Path.Combine(Root, fixture, "Marker.cs"), "namespace Fixture { internal static class Marker { } }\n");
            solution.Append(System.Globalization.CultureInfo.InvariantCulture, $"  <Project Path=\"{fixture}/{name}.csproj\" />\n");
        }

        File.WriteAllText(Path.Combine(Root, "fixtures.slnx"), solution.Append("</Solution>\n").ToString());
        Build = DotNet.Run(Root, "build", "fixtures.slnx", "-nologo", "-tl:off", "-clp:NoSummary;ErrorsOnly;WarningsOnly");
        Assert.True(Build.Output.Contains(": error JCG", StringComparison.Ordinal), Build.ToString()); // the build ran the generator

        // Each file's project was built once; what the tool reads is the files, so the projects go.
        foreach (string project in Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Root, "Marker.cs", SearchOption.AllDirectories)))
        {
            File.Delete(project);
        }
    }

    public string Root { get; }

    public CommandResult Build { get; }

    /// <summary>The build's JCG diagnostics for the files of <paramref name="fixture"/>, as the tool prints them from <see cref="Root"/>.</summary>
    public string[] BuildDiagnostics(string fixture) => Build.Output
        .Split('\n')
        .Select(line => BuildLine().Match(line.TrimEnd('\r')))
        .Where(match => match.Success)
        .Select(match => Path.GetRelativePath(Root, match.Groups["path"].Value) + match.Groups["rest"].Value)
        .Where(line => line.StartsWith(fixture + "/", StringComparison.Ordinal))
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Every fixture: each directory (relative, with <c>/</c>) that holds connections files.</summary>
    public static IReadOnlyList<string> Fixtures()
    {
        string source = Path.Combine(Feed.RepositoryRoot, "tests", "JiraConfigGen.Package.Tests", "CliFixtures");
        return Directory.EnumerateFiles(source, "*.json", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(source, Path.GetDirectoryName(file)!).Replace('\\', '/'))
            .Concat(EncodingFixtures.Keys)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>The same connection, with its mistakes, in the encodings the compiler tells apart.</summary>
    private static readonly Dictionary<string, byte[]> EncodingFixtures = new()
    {
        // A byte order mark, and the mistake on line 1: its column must not count the mark.
        ["encoding/utf8-bom"] = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("""{ "connections": [ { "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "https://contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" } } ] }""")],
        // Not UTF-8 (é as the single byte E9): the compiler reads it as Windows-1252, and so must the tool.
        ["encoding/windows-1252"] = [.. Encoding.ASCII.GetBytes("{ \"connections\": [ { \"nickname\": \"Caf"), 0xE9, .. Encoding.ASCII.GetBytes("\", \"username\": \"automation@contoso.com\", \"instanceUrl\": \"contoso.atlassian.net\", \"apiToken\": { \"env\": \"JIRA_CAFE_TOKEN\" }, \"caf"), 0xE9, .. Encoding.ASCII.GetBytes("\": 1 } ] }")],
        // Windows line ends: lines and columns as the build counts them.
        ["encoding/crlf"] = Encoding.UTF8.GetBytes("{\r\n  \"connections\": [\r\n    {\r\n      \"nickname\": \"Production\",\r\n      \"username\": \"automation\",\r\n      \"instanceUrl\": \"contoso.atlassian.net/\",\r\n      \"apiToken\": { \"env\": \"JIRA_PROD_TOKEN\" }\r\n    }\r\n  ]\r\n}\r\n"),
        // UTF-16 with its byte order mark, as some Windows editors save.
        ["encoding/utf16"] = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{\n  \"connections\": [ { \"nickname\": \"Ünïcode\", \"username\": \"automation@contoso.com\", \"instanceUrl\": \"https://contoso.atlassian.net\", \"apiToken\": { \"env\": \"JIRA_U_TOKEN\" } } ]\n}\n")],
    };

    private static void WriteEncodingFixtures(string root)
    {
        foreach ((string fixture, byte[] bytes) in EncodingFixtures)
        {
            Directory.CreateDirectory(Path.Combine(root, fixture));
            File.WriteAllBytes(Path.Combine(root, fixture, "jira-connections.json"), bytes);
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    // "/tmp/x/jcg003/jira-connections.json(6,22): error JCG003: message [/tmp/x/jcg003/Fixture_jcg003.csproj]"
    [GeneratedRegex(@"^\s*(?<path>[^(]+\.json)(?<rest>\(\d+,\d+\): (error|warning|info) JCG\d{3}: .*?)(\s\[[^\]]+\.csproj\])?$")]
    private static partial Regex BuildLine();
}
