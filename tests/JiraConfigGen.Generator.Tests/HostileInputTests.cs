using System.Globalization;
using System.Reflection;
using System.Text;
using JiraConfigGen.Generator.Emit;
using JiraConfigGen.Generator.Parsing;
using JiraConfigGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Generator.Tests;

/// <summary>
/// Inputs a careless or hostile file can hold, each class as a whole: names the generated code needs, names too long for
/// metadata, escapes in a context path, tokens pasted as names, invisible characters, connections with errors, and the
/// generator's own failures. Every case is compiled by the real compiler.
/// </summary>
public class HostileInputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Good = """{ "nickname": "Good", "username": "good@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_GOOD_TOKEN" } }""";

    // ---- Names the generated code needs ----

    /// <summary>Every identifier the generated code writes, the runtime's public types, and the roots of its global:: names.</summary>
    public static TheoryData<string> NamesTheGeneratedCodeUses()
    {
        string source = GeneratorHarness.Run(ConfigCases.Get("ok: the spec's full example").CleanFiles).Source!;
        IEnumerable<string> identifiers = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.ValueText);
        return [.. identifiers.Concat(ConnectionsEmitter.RuntimeTypeNames).Concat(ConnectionsEmitter.GlobalRoots)
            .Concat(["create", "config", "env", "file"]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(NamesTheGeneratedCodeUses))]
    public void AClassNameTheGeneratedCodeNeedsIsJcg015AndTheCodeStillCompiles(string name)
    {
        foreach ((string? ns, string? rootNamespace) in new (string?, string?)[] { (null, "Contoso.App"), ("JiraConfigGen", null), (null, null) })
        {
            string json = $$"""{ {{(ns is null ? string.Empty : $"\"namespace\": \"{ns}\", ")}}"className": "{{name}}", "connections": [ {{Good}} ] }""";
            AssertRefusedOrClean(json, rootNamespace, expectedName: (ns ?? rootNamespace) is { } n ? n + "." + name : name, $"className '{name}' in namespace '{ns ?? rootNamespace ?? "(global)"}'");
        }
    }

    [Theory]
    [MemberData(nameof(NamesTheGeneratedCodeUses))]
    public void ANamespaceTheGeneratedCodeNeedsIsJcg015AndTheCodeStillCompiles(string name)
    {
        foreach (string ns in new[] { name, "JiraConfigGen." + name, "JiraConfigGen." + name + ".Connections", "Contoso." + name })
        {
            string json = $$"""{ "namespace": "{{ns}}", "connections": [ {{Good}} ] }""";
            AssertRefusedOrClean(json, "Contoso.App", expectedName: ns + ".JiraConnections", $"namespace '{ns}'");
        }
    }

    [Fact]
    public void TheListOfRuntimeTypesIsEveryPublicTypeOfTheRuntimesNamespace()
    {
        IEnumerable<string> exported = typeof(JiraConnection).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == ConnectionsEmitter.RuntimeNamespace && !t.IsNested)
            .Select(t => t.Name.Split('`')[0]);

        Assert.Equal(exported.Order(StringComparer.Ordinal), ConnectionsEmitter.RuntimeTypeNames.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Either the file is refused with JCG015, or the class has the name asked for; in both cases the generated code
    /// compiles with no warning and is written to an assembly.
    /// </summary>
    private static void AssertRefusedOrClean(string json, string? rootNamespace, string expectedName, string what)
    {
        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, json)], rootNamespace: rootNamespace);
        Assert.Null(project.Run.Exception);
        List<Diagnostic> compiler = project.Compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(compiler.Count == 0, $"{what}: {string.Join("\n", compiler)}\n{project.Run.Source}");
        Assert.True(project.Compilation.Emit(Stream.Null).Success, what);

        bool refused = project.Run.Diagnostics.Any(d => d.Id == "JCG015");
        if (!refused)
        {
            Assert.True(project.Compilation.GetTypeByMetadataName(expectedName) is not null, $"{what}: no JCG015, yet no class {expectedName}:\n{project.Run.Source}");
        }
    }

    // ---- Names too long for metadata ----

    [Theory]
    [InlineData(1019, false)]
    [InlineData(1020, true)]
    public void AnAccessorWhoseGetterIsTooLongForMetadataIsJcg008(int letters, bool refused)
    {
        string nickname = new('a', letters);
        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, $$"""{ "connections": [ {{Good}}, { "nickname": "{{nickname}}", "username": "b@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "B" } } ] }""")]);

        Assert.Equal(refused, project.Run.Diagnostics.Any(d => d.Id == "JCG008"));
        Assert.True(project.Compilation.Emit(Stream.Null).Success);
        Assert.Equal(!refused, project.Run.Source!.Contains("A" + nickname[1..], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("className", 1023, false)]
    [InlineData("className", 1024, true)]
    [InlineData("namespace", 1023, false)]
    [InlineData("namespace", 1024, true)]
    public void AClassWhoseFullNameIsTooLongForMetadataIsJcg015(string property, int fullNameLength, bool refused)
    {
        // The limit is on the type's full name: the namespace, a dot and the class name.
        const string Other = GeneratorHarness.DefaultRootNamespace; // "namespace" is written, or className is JiraConnections
        int length = fullNameLength - 1 - (property == "className" ? Other.Length : "JiraConnections".Length);
        string name = "N" + new string('x', length - 1);
        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, $$"""{ "{{property}}": "{{name}}", "connections": [ {{Good}} ] }""")]);

        Assert.Equal(refused, project.Run.Diagnostics.Any(d => d.Id == "JCG015"));
        var emitted = project.Compilation.Emit(Stream.Null);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Select(e => e.Id + " " + e.GetMessage()[..60])));
    }

    [Fact]
    public void TheCompilerRefusesWhatJcg008AndJcg015Refuse()
    {
        // The limits are the compiler's: without the generator's checks, these names fail when the assembly is written.
        string tooLong = new('x', 1024);
        string source = $"namespace N{tooLong[1..]} {{ public static class C {{ public static int P{tooLong[4..]} => 0; }} }} public static class T{tooLong[1..]} {{ }}";
        var compilation = GeneratorHarness.CreateCompilation([source]);

        var errors = compilation.Emit(Stream.Null).Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 3 && errors.All(e => e.Id == "CS7013"), string.Join("\n", errors.Select(e => e.Id + " " + e.GetMessage()[..60])));
    }

    // ---- Percent-encoding in the context path ----

    [Theory]
    [InlineData("jira.example.com/%6Aira", "write 'jira.example.com/jira'")]
    [InlineData("jira.example.com/%72est", "decoded, it is 'jira.example.com/rest', and instanceUrl must stop before the REST path")]
    [InlineData("jira.example.com/jira/%2E%2E", "decoded, it is 'jira.example.com/jira/..', and the context path")]
    [InlineData("jira.example.com/%E2%80%AEpath", "decoded, it is 'jira.example.com/\\u202Epath'")]
    public void APercentEncodedContextPathIsJcg006WithTheDecodedPath(string instanceUrl, string expected)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""{ "connections": [ { "nickname": "A", "username": "a@contoso.com", "instanceUrl": "{{instanceUrl}}", "apiToken": { "env": "A" } } ] }""");

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG006", diagnostic.Id);
        Assert.Contains("must not be percent-encoded", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains(expected, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    // ---- Tokens pasted as names ----

    /// <summary>Names as teams write them: none may be taken for a token.</summary>
    public static TheoryData<string> RealisticNames =>
    [
        "JIRA_PROD_TOKEN", "JIRA_PRODUCTION_API_TOKEN_FOR_SYNC", "Jira:Production:ApiToken", "Jira__Production__ApiToken",
        "/run/secrets/jira_prod", "/var/lib/secrets/jira-production-europe-west-2.token", @"C:\secrets\jira\prod.txt",
        "JiraProductionApiToken2024", "JiraProductionApiTokenForSyncJob", "ConnectionStrings:JiraProductionEuropeWest2",
        "JIRA_API_TOKEN_2024_11_30_ROTATED", "Jira:Prod:ApiToken:V2:Eu1", "JiraProd2ApiToken3EuWest1Sync", "K8sJira2Prod3Sync4Token",
        "MyCompanyJira2ProductionToken", "Jira:Instances:0:Token", "AWSSecretsManagerJiraProdEU1Token", "JiraToken_EU2_US1_AP3_Prod",
        "/mnt/secrets-store/JiraApiTokenProdEu2", "Secrets:Jira:Atlassian:CloudApiTokenForTheNightlySync2",
        "d3b07384-d113-4ec6-a7b2-4f2f5e8a9c10", "JIRA_TOKEN_A1_B2_C3_D4_E5",
    ];

    [Theory]
    [MemberData(nameof(RealisticNames))]
    public void ANameIsNotTakenForAToken(string name) => Assert.False(SecretShape.LooksLikeSecret(name), name);

    [Fact]
    public void RandomTokensAreTakenForTokens()
    {
        // The figures this heuristic is documented with (README, JCG007): measured on 2,000 random tokens of each kind.
        var random = new Random(2026);
        const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        string Draw(string alphabet, int length) => new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

        double Caught(string kind, Func<string> token)
        {
            double caught = Enumerable.Range(0, 2000).Count(_ => SecretShape.LooksLikeSecret(token())) / 2000.0;
            output.WriteLine($"{kind}: {caught:P1} caught");
            return caught;
        }

        Assert.Equal(1.0, Caught("Atlassian API tokens", () => "ATATT3x" + Draw(UrlSafe, 180)));
        Assert.Equal(1.0, Caught("40 hexadecimal digits", () => Draw("0123456789abcdef", 40)));
        Assert.InRange(Caught("base64, 44 characters", () => Draw(Base64, 44)), 0.85, 1.0);
        Assert.InRange(Caught("URL-safe base64, 43 characters", () => Draw(UrlSafe, 43)), 0.90, 1.0);
        Assert.InRange(Caught("letters and digits, 24 characters", () => Draw(Base64[..62], 24)), 0.85, 1.0);
    }

    [Theory]
    [InlineData("env", "ATATT3xFfGF0T4JNjZ9Lq0Ex4d7Tn0S6sSecretSecretSecret", true)]
    [InlineData("config", "NfgzOHTtHRb49HBFgf4ebSPPabSILXXgKPpXSiPvwDUh", false)]
    [InlineData("file", "1d8cd8807e2ab68a5e74cd47b2f30519557f35dc", false)]
    public void ATokenPastedAsANameIsJcg007AndNeverEmitted(string source, string token, bool atlassian)
    {
        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, $$"""{ "connections": [ {{Good}}, { "nickname": "Pasted", "username": "p@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "{{source}}": "{{token}}" } } ] }""")]);

        Diagnostic diagnostic = Assert.Single(project.Run.Diagnostics);
        Assert.Equal("JCG007", diagnostic.Id);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains($"the value of \"{source}\" looks like a secret", message, StringComparison.Ordinal);
        Assert.Equal(atlassian, message.Contains("revoke it", StringComparison.Ordinal));
        Assert.DoesNotContain(token, message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, project.Run.Source!, StringComparison.Ordinal);
        Assert.DoesNotContain(token[..12], Encoding.UTF8.GetString(Emit(project)), StringComparison.Ordinal);
    }

    // ---- Invisible characters ----

    [Theory]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u200B')]
    [InlineData('\u2028')]
    public void InvisibleCharactersAreEscapedInMessagesAndGeneratedCode(char invisible)
    {
        string nickname = $"Prod{invisible}evil";
        string json = $$"""
            { "connections": [
              { "nickname": "{{nickname}}", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" }, "description": "Ops {{invisible}}bot" },
              { "nickname": "{{nickname}} 2", "username": "b@contoso.com", "apiToken": { "env": "B" } },
              { "nickname": " {{nickname}} ", "username": "c@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "C" } }
            ] }
            """;

        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, json)]);

        string escaped = "\\u" + ((int)invisible).ToString("X4", CultureInfo.InvariantCulture);
        Assert.Equal(["JCG002", "JCG005"], project.Run.Diagnostics.Select(d => d.Id).Order());
        Assert.All(project.Run.Diagnostics, d =>
        {
            string message = d.GetMessage(CultureInfo.InvariantCulture);
            Assert.DoesNotContain(invisible.ToString(), message, StringComparison.Ordinal);
            Assert.Contains("Prod" + escaped + "evil", message, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(project.Run.Source!, c => MessageTextIsInvisible(c) && c is not '\n' and not '\r');
        Assert.DoesNotContain(project.Problems, d => !d.Id.StartsWith("JCG", StringComparison.Ordinal));
    }

    private static bool MessageTextIsInvisible(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    // ---- A connection with an error is never in All ----

    /// <summary>For each error a connection can have, a file with a good connection and one with that error ("Bad").</summary>
    public static TheoryData<string, string> ConnectionErrors => new()
    {
        { "JCG001", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": 'x' } ] }""" },
        { "JCG002", $$"""{ "connections": [ {{Good}}, { "nickname": "good", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net", "apiToken": { "env": "B" } } ] }""" },
        { "JCG003", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": "https://b.atlassian.net", "apiToken": { "env": "B" } } ] }""" },
        { "JCG004", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net" } ] }""" },
        { "JCG005", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "instanceUrl": "b.atlassian.net", "apiToken": { "env": "B" } } ] }""" },
        { "JCG006", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net/", "apiToken": { "env": "B" } } ] }""" },
        { "JCG007", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net", "apiToken": "secret" } ] }""" },
        { "JCG008", $$"""{ "connections": [ {{Good}}, { "nickname": "good!", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net", "apiToken": { "env": "B" } } ] }""" },
        { "JCG010", $$"""{ "connections": [ {{Good}}, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": "b.atlassian.net", "apiToken": { "env": "B" }, "events": "yes" } ] }""" },
        { "JCG012", $$"""{ "connections": [ { "nickname": "Good", "username": "good@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" }, "webhooks": 60 }, { "nickname": "Bad", "username": "b@contoso.com", "instanceUrl": "CONTOSO.atlassian.net.", "apiToken": { "env": "B" }, "webhooks": 41 } ] }""" },
    };

    [Theory]
    [MemberData(nameof(ConnectionErrors))]
    public void AConnectionWithAnErrorIsLeftOutOfAllAndItsAccessorThrows(string id, string json)
    {
        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, json)]);

        Assert.Contains(project.Run.Diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Type type = project.Load().GetType("Contoso.App.JiraConnections")!;
        var all = (IReadOnlyList<JiraConnection>)type.GetProperty("All")!.GetValue(null)!;
        Assert.Equal(["Good"], all.Select(c => c.Nickname));

        if (type.GetProperty("Bad") is { } bad)
        {
            var thrown = Assert.Throws<TargetInvocationException>(() => bad.GetValue(null));
            Assert.IsType<InvalidOperationException>(thrown.InnerException);
            Assert.Contains(id, thrown.InnerException!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NicknamesReadBeforeASyntaxErrorKeepTheirAccessors()
    {
        const string json = """
            { "connections": [
              { "nickname": "Complete", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } },
              { "nickname": "Broken", "username": "b@contoso.com", "instanceUrl": "contoso.atlassian.net" "apiToken": { "env": "B" } },
              { "nickname": "After", "username": "c@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "C" } }
            ] }
            """;
        const string user = """
            namespace UserCode
            {
                /// <summary>Uses the connections declared before the error.</summary>
                public static class Usage
                {
                    /// <summary>Both accessors.</summary>
                    /// <returns>The nicknames.</returns>
                    public static string Run() => Contoso.App.JiraConnections.Complete.Nickname + Contoso.App.JiraConnections.Broken.Nickname;
                }
            }
            """;

        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, json)], user);

        Assert.Equal(["JCG001"], project.Run.Diagnostics.Select(d => d.Id));
        Assert.Empty(project.Compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Type type = project.Load().GetType("Contoso.App.JiraConnections")!;
        Assert.Equal(["Complete"], ((IReadOnlyList<JiraConnection>)type.GetProperty("All")!.GetValue(null)!).Select(c => c.Nickname));
        Assert.Contains("(JCG001)", Assert.Throws<TargetInvocationException>(() => type.GetProperty("Broken")!.GetValue(null)).InnerException!.Message, StringComparison.Ordinal);
        Assert.Null(type.GetProperty("After"));
    }

    // ---- JiraConfigGen's own failures ----

    [Fact]
    public void AFailureInsideTheGeneratorIsJcg017AndNamesNoContent()
    {
        var broken = new FailingText("/project/ops.jira-connections.json", """{ "connections": [ { "nickname": "Secretive", "apiToken": "hunter2" } ] }""");
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(
            [new InMemoryAdditionalText(GeneratorHarness.DefaultPath, $$"""{ "connections": [ {{Good}} ] }"""), broken], compilation);

        GeneratorRun run = GeneratorHarness.Run(driver, compilation);

        Assert.Null(run.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("JCG017", diagnostic.Id);
        Assert.Equal("/project/ops.jira-connections.json", diagnostic.Location.GetLineSpan().Path);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("JiraConfigGen failed (InvalidDataException) on this file (73 characters on 1 line; 2 objects, 1 array, 5 strings, nested 3 deep); this is a bug in JiraConfigGen", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Secretive", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
        Assert.Contains("public static global::JiraConfigGen.JiraConnection Good", run.Source, StringComparison.Ordinal);
    }

    /// <summary>A file whose text fails once the reader has started on it: what a bug in the reader looks like from outside.</summary>
    private sealed class FailingText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => new Failing(SourceText.From(text));

        private sealed class Failing(SourceText inner) : SourceText
        {
            public override Encoding? Encoding => inner.Encoding;

            public override int Length => inner.Length;

            public override char this[int position] => inner[position];

            public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count) =>
                throw new InvalidDataException("the reader's copy failed");
        }
    }

    private static byte[] Emit(UserProject project)
    {
        using var stream = new MemoryStream();
        Assert.True(project.Compilation.Emit(stream).Success);
        return stream.ToArray();
    }
}
