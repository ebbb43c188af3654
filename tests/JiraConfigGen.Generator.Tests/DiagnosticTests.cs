using JiraConfigGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests;

/// <summary>
/// Every diagnostic ID, reported by the real generator in the real compiler, with its severity, file,
/// line and column checked; and the near misses that must report nothing.
/// </summary>
public class DiagnosticTests
{
    /// <summary>The contract's default severities, written out here so a change to a descriptor is caught.</summary>
    private static readonly Dictionary<string, DiagnosticSeverity> Severities = new()
    {
        ["JCG001"] = DiagnosticSeverity.Error,
        ["JCG002"] = DiagnosticSeverity.Error,
        ["JCG003"] = DiagnosticSeverity.Error,
        ["JCG004"] = DiagnosticSeverity.Error,
        ["JCG005"] = DiagnosticSeverity.Error,
        ["JCG006"] = DiagnosticSeverity.Error,
        ["JCG007"] = DiagnosticSeverity.Error,
        ["JCG008"] = DiagnosticSeverity.Error,
        ["JCG009"] = DiagnosticSeverity.Warning,
        ["JCG010"] = DiagnosticSeverity.Error,
        ["JCG011"] = DiagnosticSeverity.Warning,
        ["JCG012"] = DiagnosticSeverity.Error,
        ["JCG013"] = DiagnosticSeverity.Warning,
        ["JCG014"] = DiagnosticSeverity.Warning,
        ["JCG015"] = DiagnosticSeverity.Error,
        ["JCG016"] = DiagnosticSeverity.Error,
        ["JCG017"] = DiagnosticSeverity.Error,
    };

    [Theory]
    [MemberData(nameof(ConfigCases.ReportingNames), MemberType = typeof(ConfigCases))]
    public void ReportsEachProblemAtItsToken(string name)
    {
        ConfigCase config = ConfigCases.Get(name);
        GeneratorRun run = GeneratorHarness.Run(config.CleanFiles);

        Assert.Null(run.Exception);
        Assert.Equal(config.Expected, Describe(run));
        Assert.All(JcgDiagnostics(run), d => Assert.Equal(Severities[d.Id], d.Severity));
    }

    [Theory]
    [MemberData(nameof(ConfigCases.NearMissNames), MemberType = typeof(ConfigCases))]
    public void NearMissesReportNothing(string name)
    {
        GeneratorRun run = GeneratorHarness.Run(ConfigCases.Get(name).CleanFiles);

        Assert.Null(run.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.NotNull(run.Source);
    }

    [Fact]
    public void EveryIdInAFileHasACaseThatReportsIt()
    {
        var covered = ConfigCases.Reporting.SelectMany(c => c.Expected).Select(e => e.Id).ToHashSet();

        // JCG016 concerns an MSBuild property, not a file: InvalidBuildOptionIsReported covers it. JCG017 is a bug in
        // JiraConfigGen, which no file should cause: InternalErrorTests makes one happen.
        Assert.Equal(Severities.Keys.Where(id => id is not "JCG016" and not "JCG017").Order(), covered.Order());
        Assert.Equal(Severities.Keys.Order(), DiagnosticDescriptors.All.Select(d => d.Id).Order());
    }

    [Theory]
    [InlineData("protected")]
    [InlineData("privat")]
    public void InvalidBuildOptionIsReported(string value)
    {
        GeneratorRun run = GeneratorHarness.Run(ConfigCases.Get("ok: the spec's full example").CleanFiles, properties: new Dictionary<string, string> { ["JiraConfigGenAccessibility"] = value });

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG016", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.Equal($"The MSBuild property JiraConfigGenAccessibility is '{value}', which JiraConfigGen does not know; use public or internal, or remove the property", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("public static partial class JiraConnections", run.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JiraConfigGenAutoInclude", "0", "true or false")]
    [InlineData("JiraConfigGenEnabled", "maybe", "true or false")]
    [InlineData("JiraConfigGenAccessibility", "protected", "public or internal")]
    public void EveryBuildPropertyIsCheckedByTheGeneratorEvenWithoutFiles(string property, string value, string allowed)
    {
        GeneratorRun run = GeneratorHarness.Run([], properties: new Dictionary<string, string> { [property] = value });

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG016", diagnostic.Id);
        Assert.Equal($"The MSBuild property {property} is '{value}', which JiraConfigGen does not know; use {allowed}, or remove the property", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(run.Source);
    }

    [Fact]
    public void AnInvalidRootNamespaceIsJcg015WithoutALocationAndTheClassGoesGlobal()
    {
        GeneratorRun run = GeneratorHarness.Run("""{ "connections": [ { "nickname": "A", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } } ] }""", rootNamespace: "My-App.2");

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG015", diagnostic.Id);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.Equal("The project's RootNamespace 'My-App.2' is not a C# namespace ('My-App' is not a C# identifier), so the connections class is generated in the global namespace; set \"namespace\" in the connections file", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("namespace ", run.Source!.Split('\n').Where(l => !l.StartsWith("//", StringComparison.Ordinal)), StringComparer.Ordinal);
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void AFileTheCompilerCannotReadIsJcg001AtTheFile()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver([new UnreadableText("/project/ops.jira-connections.json")], compilation);

        GeneratorRun run = GeneratorHarness.Run(driver, compilation);

        Assert.Null(run.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG001", diagnostic.Id);
        Assert.Equal("/project/ops.jira-connections.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("The file could not be read; check that it exists and is readable", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>What the compiler hands over for a file it could not read: no text.</summary>
    private sealed class UnreadableText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
    }

    [Fact]
    public void ADuplicateNamesTheFirstByItsPathInTheProjectAndLinksToIt()
    {
        const string First = "/project/teams/billing/jira-connections.json";
        const string Second = "/project/teams/support/jira-connections.json";
        GeneratorRun run = GeneratorHarness.Run(
            [
                (First, """{ "connections": [ { "nickname": "Production", "username": "a@contoso.com", "instanceUrl": "a.atlassian.net", "apiToken": { "env": "A" } } ] }"""),
                (Second, """{ "connections": [ { "nickname": "production", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net", "apiToken": { "env": "B" } } ] }"""),
            ],
            properties: new Dictionary<string, string> { ["MSBuildProjectDirectory"] = "/project" });

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG002", diagnostic.Id);
        Assert.Equal(Second, diagnostic.Location.GetLineSpan().Path);
        Assert.Contains("the connection at teams/billing/jira-connections.json(1,34);", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Location first = Assert.Single(diagnostic.AdditionalLocations);
        Assert.Equal(First, first.GetLineSpan().Path);
        Assert.Equal(new LinePosition(0, 33), first.GetLineSpan().StartLinePosition);
    }

    [Theory]
    [InlineData("instanceURL", "instanceUrl", "JCG005")]
    [InlineData("nickName", "nickname", "JCG005")]
    [InlineData("userName", "username", "JCG005")]
    [InlineData("api_token", "apiToken", "JCG004")]
    public void AMissingPropertyNamesItsNearMiss(string written, string wanted, string id)
    {
        var properties = new Dictionary<string, string>
        {
            ["nickname"] = "\"A\"", ["username"] = "\"a@contoso.com\"", ["instanceUrl"] = "\"contoso.atlassian.net\"", ["apiToken"] = "{ \"env\": \"A\" }",
        };
        properties[written] = properties[wanted];
        properties.Remove(wanted);
        string json = "{ \"connections\": [ { " + string.Join(", ", properties.Select(p => $"\"{p.Key}\": {p.Value}")) + " } ] }";

        GeneratorRun run = GeneratorHarness.Run(json);

        Assert.Equal(new[] { id, "JCG009" }.Order(), run.Diagnostics.Select(d => d.Id).Order());
        Assert.Contains($"(\"{written}\" is written: did you mean \"{wanted}\"?)", run.Diagnostics.Single(d => d.Id == id).GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Library", null, "internal")]
    [InlineData("library", "", "internal")]
    [InlineData("Library", "public", "public")]
    [InlineData("Exe", null, "public")]
    [InlineData("WinExe", null, "public")]
    [InlineData(null, null, "public")]
    public void ALibrarysClassIsInternalUnlessSetPublic(string? outputType, string? accessibility, string expected)
    {
        var properties = new Dictionary<string, string>();
        if (outputType is not null)
        {
            properties["OutputType"] = outputType;
        }

        if (accessibility is not null)
        {
            properties["JiraConfigGenAccessibility"] = accessibility;
        }

        GeneratorRun run = GeneratorHarness.Run(ConfigCases.Get("ok: the spec's full example").CleanFiles, properties: properties);

        Assert.Empty(run.Diagnostics);
        Assert.Contains(expected + " static partial class JiraConnections", run.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("internal", "internal static partial class")]
    [InlineData(" Internal ", "internal static partial class")]
    [InlineData("public", "public static partial class")]
    [InlineData("", "public static partial class")]
    public void AccessibilityOptionSetsTheClassAccessibility(string value, string expected)
    {
        GeneratorRun run = GeneratorHarness.Run(ConfigCases.Get("ok: the spec's full example").CleanFiles, properties: new Dictionary<string, string> { ["JiraConfigGenAccessibility"] = value });

        Assert.Empty(run.Diagnostics);
        Assert.Contains(expected + " JiraConnections", run.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildOutputShowsFileLineAndColumn()
    {
        const string json = """
            {
              "connections": [
                {
                  "nickname": "Production",
                  "username": "automation@contoso.com",
                  "instanceUrl": "https://contoso.atlassian.net",
                  "apiToken": { "env": "JIRA_PROD_TOKEN" }
                }
              ]
            }
            """;

        Diagnostic diagnostic = Assert.Single(GeneratorHarness.Run(json).Diagnostics);

        Assert.Equal(
            "/project/jira-connections.json(6,22): error JCG003: Connection 'Production': instanceUrl must not include 'https://'; write 'contoso.atlassian.net'",
            diagnostic.ToString());
        Assert.Equal(LocationKind.ExternalFile, diagnostic.Location.Kind);
    }

    [Theory]
    [InlineData("JCG003 https", "Connection 'Production'", "write 'contoso.atlassian.net'")]
    [InlineData("JCG002 same file", "Nickname 'production'", "(2,18)")]
    [InlineData("JCG004 missing", "Connection 'A' has no apiToken", "\"env\": \"JIRA_A_TOKEN\"")]
    [InlineData("JCG005 basic without username", "Connection 'A' has no username", "\"auth\": \"bearer\"")]
    [InlineData("JCG006 trailing slash", "must not end with '/'", "write 'contoso.atlassian.net'")]
    [InlineData("JCG006 REST path after the context path", "REST path", "write 'jira.example.com/jira'")]
    [InlineData("JCG006 port 65536", "1 to 65535", "Connection 'Production'")]
    [InlineData("JCG007 Atlassian token", "revoke it", "\"env\": \"JIRA_PRODUCTION_TOKEN\"")]
    [InlineData("JCG008 two nicknames, one identifier", "'ProdEu'", "'prod eu'")]
    [InlineData("JCG009 misspelt nickname", "\"nicknme\"", "did you mean \"nickname\"?")]
    [InlineData("JCG010 auth in capitals", "not \"Basic\"", "did you mean \"basic\"?")]
    [InlineData("JCG010 unknown token source", "\"vault\"", "\"config\"")]
    [InlineData("JCG011 one account, two tokens", "'Production' and 'Sync'", "env:JIRA_PROD_TOKEN and env:JIRA_SYNC_TOKEN")]
    [InlineData("JCG012 across connections", "110 admin webhooks", "'contoso.atlassian.net'")]
    [InlineData("JCG012 one instance written two ways", "110 admin webhooks", "The connections to 'contoso.atlassian.net'")]
    [InlineData("JCG013 plain user name", "username 'automation'", "email address")]
    [InlineData("JCG014 empty array", "jira-connections.json declares no connections", "add one")]
    [InlineData("JCG015 two files, two namespaces", "'Contoso.Ops' here but 'Contoso.Jira' at jira-connections.json(1,16)", "same value")]
    public void MessagesNameTheConnectionAndTheFix(string name, string first, string second)
    {
        GeneratorRun run = GeneratorHarness.Run(ConfigCases.Get(name).CleanFiles);

        string message = Assert.Single(JcgDiagnostics(run), d => d.Id == name[..6]).GetMessage();
        Assert.Contains(first, message, StringComparison.Ordinal);
        Assert.Contains(second, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JCG007 Atlassian token", "ATATT3xFfGF0T4JNjZ9Lq0Ex4d7Tn0S6sSecretSecretSecret")]
    [InlineData("JCG007 any string", "correct-horse-battery-staple")]
    [InlineData("JCG003 with a password", "hunter2")]
    public void MessagesNeverRepeatASecret(string name, string secret)
    {
        GeneratorRun run = GeneratorHarness.Run(ConfigCases.Get(name).CleanFiles);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.DoesNotContain(secret, diagnostic.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, run.Source ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenThatIsNotAtlassiansIsNotCalledOne()
    {
        string message = Assert.Single(GeneratorHarness.Run(ConfigCases.Get("JCG007 any string").CleanFiles).Diagnostics).GetMessage();

        Assert.DoesNotContain("revoke", message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNestingIsReportedNotOverflowed()
    {
        const int depth = 50_000;
        string json = "{ \"x\": " + new string('[', depth) + new string(']', depth) + " }";

        GeneratorRun run = GeneratorHarness.Run(json);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics, d => d.Id == "JCG001");
        // The root object is level 1 and "x" starts level 2, so the 64th '[' is the first too deep.
        Assert.Equal("{ \"x\": ".Length + 63, diagnostic.Location.SourceSpan.Start);
        Assert.Contains("deeper than 64 levels", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void HelpLinksLandOnReadmeSections()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        // The README of the release this generator is part of: its tag is v and the package version.
        string version = typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];

        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            Assert.StartsWith($"https://github.com/JiraConfigGen/JiraConfigGen/blob/v{version}/README.md#", descriptor.HelpLinkUri, StringComparison.Ordinal);
            string anchor = descriptor.HelpLinkUri[(descriptor.HelpLinkUri.IndexOf('#', StringComparison.Ordinal) + 1)..];
            Assert.Equal(descriptor.Id.ToLowerInvariant(), anchor);
            Assert.Contains($"\n### {descriptor.Id}\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EverySentenceIsADescriptorOfItsIdAndNoneIsAPassThrough()
    {
        DiagnosticDescriptor[] sentences = typeof(DiagnosticDescriptors).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();
        Dictionary<string, DiagnosticDescriptor> primaries = DiagnosticDescriptors.All.ToDictionary(d => d.Id);

        Assert.True(sentences.Length > 60, $"{sentences.Length} sentences");
        Assert.Equal(primaries.Count, DiagnosticDescriptors.All.Length); // one primary per ID
        foreach (DiagnosticDescriptor sentence in sentences)
        {
            DiagnosticDescriptor primary = primaries[sentence.Id];
            Assert.Equal(primary.Title.ToString(), sentence.Title.ToString());
            Assert.Equal(primary.DefaultSeverity, sentence.DefaultSeverity);
            Assert.Equal(primary.HelpLinkUri, sentence.HelpLinkUri);
            string format = sentence.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, "a", "b", "c", "d", "e", "f"); // a valid format
            if (sentence.Id is "JCG003" or "JCG006")
            {
                // Why an instanceUrl is invalid is the shared rule's own sentence (InstanceUrlRules.Explain), which the
                // runtime's exceptions say too: one place for it, outside this assembly.
                Assert.Equal("Connection {0}: {1}", format);
                continue;
            }

            string words = System.Text.RegularExpressions.Regex.Replace(format, @"\{\d\}", string.Empty);
            Assert.True(words.Count(char.IsLetter) >= 12, $"{sentence.Id}: '{format}' says nothing of its own");
        }
    }

    [Fact]
    public void ReleaseTrackingListsEveryDescriptor()
    {
        string unshipped = File.ReadAllText(Path.Combine(SnapshotAssert.RepositoryRoot(), "src", "JiraConfigGen.Generator", "AnalyzerReleases.Unshipped.md"));

        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.All)
        {
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<Diagnostic> JcgDiagnostics(GeneratorRun run) =>
        run.Diagnostics.Where(d => d.Id.StartsWith("JCG", StringComparison.Ordinal));

    private static List<ExpectedDiagnostic> Describe(GeneratorRun run) =>
        JcgDiagnostics(run)
            .Select(d =>
            {
                FileLinePositionSpan span = d.Location.GetLineSpan();
                return new ExpectedDiagnostic(d.Id, span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, d.Location.SourceSpan.Length);
            })
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
}
