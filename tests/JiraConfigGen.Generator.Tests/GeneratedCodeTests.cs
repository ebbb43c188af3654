using System.Reflection;
using JiraConfigGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace JiraConfigGen.Generator.Tests;

/// <summary>What the generator emits: approved snapshots, a warning-free compile, and behaviour when run.</summary>
public class GeneratedCodeTests
{
    private const string SampleFile = """
        {
          "$schema": "./jira-connections.schema.json",
          "namespace": "Contoso.Integrations",
          "connections": [
            { "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net",
              "apiToken": { "env": "JIRA_PROD_TOKEN" }, "description": "Ops automation account", "events": true, "webhooks": 3 },
            { "nickname": "data-center eu", "username": "svc-jira", "instanceUrl": "jira.example.com:8443/jira",
              "apiToken": { "config": "Jira:DataCenter:ApiToken" } },
            { "nickname": "Build Bot", "instanceUrl": "jira.example.com", "auth": "bearer",
              "apiToken": { "file": "/run/secrets/jira_pat" } }
          ]
        }
        """;

    private const string OpsFile = """
        { "connections": [ { "nickname": "Emulator", "username": "dev@localhost.test", "instanceUrl": "127.0.0.1:8080", "apiToken": { "env": "JIRA_DEV_TOKEN" } } ] }
        """;

    private const string TrickyFile = """
        {
          "connections": [
            { "nickname": "2fa bot", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" },
              "description": "Reads <issues> & \"comments\" for 'ops'\nSecond line\u2028third */ line" },
            { "nickname": "Produção \ud800 \"quoted\"", "username": "b@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "B" } },
            { "nickname": "Broken", "username": "c@contoso.com", "instanceUrl": "https://contoso.atlassian.net", "apiToken": { "env": "C" } }
          ]
        }
        """;

    public static TheoryData<string> SnapshotNames => ["Sample", "SeveralFiles", "TrickyValues", "GlobalNamespace", "CSharp7_3", "NoConnections"];

    [Theory]
    [MemberData(nameof(SnapshotNames))]
    public void GeneratedSourceMatchesApprovedSnapshot(string name)
    {
        GeneratorRun run = name switch
        {
            "Sample" => GeneratorHarness.Run(SampleFile),
            "SeveralFiles" => GeneratorHarness.Run([(GeneratorHarness.DefaultPath, SampleFile), (ConfigCases.Ops, OpsFile)]),
            "TrickyValues" => GeneratorHarness.Run(TrickyFile),
            "GlobalNamespace" => GeneratorHarness.Run(OpsFile, rootNamespace: null),
            "CSharp7_3" => UserProject.Build([(GeneratorHarness.DefaultPath, SampleFile)], version: LanguageVersion.CSharp7_3).Run,
            "NoConnections" => GeneratorHarness.Run("""{ "connections": [] }"""),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        SnapshotAssert.Matches(name, run.Source!);
    }

    [Fact]
    public void TheGeneratedCodeAttributeNamesTheGeneratorsVersion()
    {
        // Snapshots scrub the version, so this is where it is checked.
        string expected = typeof(DiagnosticDescriptors).Assembly.GetName().Version!.ToString();

        Assert.Equal(expected, SnapshotAssert.GeneratorVersion(GeneratorHarness.Run(SampleFile).Source!));
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", expected);
    }

    public static TheoryData<string, LanguageVersion, bool> CompileCases()
    {
        var data = new TheoryData<string, LanguageVersion, bool>();
        IEnumerable<string> names = ConfigCases.NearMisses.Select(c => c.Name).Concat(["sample", "tricky"]);
        foreach (string name in names)
        {
            data.Add(name, LanguageVersion.Latest, true);
        }

        data.Add("sample", LanguageVersion.Latest, false);
        data.Add("sample", LanguageVersion.CSharp7_3, false);
        data.Add("tricky", LanguageVersion.CSharp7_3, false);
        data.Add("sample", LanguageVersion.CSharp8, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(CompileCases))]
    public void GeneratedCodeAndItsUseCompileWithoutWarnings(string name, LanguageVersion version, bool nullable)
    {
        IReadOnlyList<(string, string)> files = name switch
        {
            "sample" => [(GeneratorHarness.DefaultPath, SampleFile)],
            "tricky" => [(GeneratorHarness.DefaultPath, TrickyFile)],
            _ => ConfigCases.Get(name).CleanFiles,
        };
        NullableContextOptions options = nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable;

        UserProject withoutUse = UserProject.Build(files, version: version, nullable: options);
        string usage = UserProject.UsageOf(withoutUse.Compilation);
        UserProject project = UserProject.Build(files, usage, version, options);

        // The tricky file's broken connection reports JCG003 by design; nothing else may be reported.
        Assert.DoesNotContain(project.Problems, d => !(name == "tricky" && d.Id == "JCG003"));
    }

    [Fact]
    public void AccessorsCarryTheDeclaredValues()
    {
        Type type = LoadConnectionsClass(SampleFile, "Contoso.Integrations.JiraConnections");

        var production = (JiraConnection)type.GetProperty("Production")!.GetValue(null)!;
        Assert.Equal("Production", production.Nickname);
        Assert.Equal("automation@contoso.com", production.Username);
        Assert.Equal(new Uri("https://contoso.atlassian.net/"), production.BaseAddress);
        Assert.Equal(JiraSecretReference.Environment("JIRA_PROD_TOKEN"), production.ApiToken);
        Assert.Equal(JiraAuthKind.Basic, production.Auth);
        Assert.Equal("Ops automation account", production.Description);
        Assert.True(production.Events);
        Assert.Equal(3, production.Webhooks);

        var dataCenter = (JiraConnection)type.GetProperty("DataCenterEu")!.GetValue(null)!;
        Assert.Equal(new Uri("https://jira.example.com:8443/jira/"), dataCenter.BaseAddress);
        Assert.Equal(JiraSecretSource.Configuration, dataCenter.ApiToken.Source);

        var bot = (JiraConnection)type.GetProperty("BuildBot")!.GetValue(null)!;
        Assert.Equal(JiraAuthKind.Bearer, bot.Auth);
        Assert.Null(bot.Username);
        Assert.Equal(JiraSecretReference.File("/run/secrets/jira_pat"), bot.ApiToken);
    }

    [Fact]
    public void AllKeepsDeclarationOrderAcrossFiles()
    {
        UserProject project = UserProject.Build([(ConfigCases.Ops, OpsFile), (GeneratorHarness.DefaultPath, SampleFile)]);
        Type type = project.Load().GetType("Contoso.Integrations.JiraConnections")!;

        var all = (IReadOnlyList<JiraConnection>)type.GetProperty("All")!.GetValue(null)!;

        // jira-connections.json sorts before ops.jira-connections.json, whatever order the files came in.
        Assert.Equal(["Production", "data-center eu", "Build Bot", "Emulator"], all.Select(c => c.Nickname));
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), all[3].BaseAddress);
    }

    [Fact]
    public void LookupsAreTrimmedAndCaseInsensitiveAndNameTheKnownConnections()
    {
        Type type = LoadConnectionsClass(SampleFile, "Contoso.Integrations.JiraConnections");
        MethodInfo tryGet = type.GetMethod("TryGet")!;
        MethodInfo get = type.GetMethod("Get")!;

        object?[] args = ["  BUILD bot ", null];
        Assert.True((bool)tryGet.Invoke(null, args)!);
        Assert.Equal("Build Bot", ((JiraConnection)args[1]!).Nickname);

        args = ["Staging", null];
        Assert.False((bool)tryGet.Invoke(null, args)!);
        Assert.Null(args[1]);

        var error = Assert.Throws<KeyNotFoundException>(() => Unwrap(() => get.Invoke(null, ["Staging"])));
        Assert.Equal("No Jira connection is named 'Staging'. Known connections: Production, data-center eu, Build Bot.", error.Message);
    }

    [Fact]
    public void ConnectionWithErrorsKeepsAnAccessorThatThrows()
    {
        UserProject project = UserProject.Build([(GeneratorHarness.DefaultPath, TrickyFile)]);
        Assert.Equal(["JCG003"], project.Run.Diagnostics.Select(d => d.Id));
        Type type = project.Load().GetType("Contoso.App.JiraConnections")!;

        var error = Assert.Throws<InvalidOperationException>(() => Unwrap(() => type.GetProperty("Broken")!.GetValue(null)));
        Assert.Contains("'Broken' has errors (JCG003) in jira-connections.json", error.Message, StringComparison.Ordinal);
        var all = (IReadOnlyList<JiraConnection>)type.GetProperty("All")!.GetValue(null)!;
        Assert.Equal(2, all.Count);
        Assert.Equal("Produção \ud800 \"quoted\"", all[1].Nickname);
    }

    [Fact]
    public void ProducesNoSourceWhenTheProjectHasNoConnectionsFile()
    {
        GeneratorRun run = GeneratorHarness.Run([("/project/appsettings.json", "{}"), ("/project/jira-connections.json.bak", "{}")]);

        Assert.Empty(run.Sources);
        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [InlineData("/project/jira-connections.json", true)]
    [InlineData("/project/config/Ops.Jira-Connections.JSON", true)]
    [InlineData("C:\\repo\\ops.jira-connections.json", true)]
    [InlineData("/project/myjira-connections.json", false)]
    [InlineData("/project/jira-connections.jsonc", false)]
    public void ReadsTheFilesNamedInTheContract(string path, bool read) =>
        Assert.Equal(read, JiraConnectionsGenerator.IsConnectionsFile(path));

    [Fact]
    public void FileOfAnyNameIsReadWhenMarkedAsAConnectionsFile()
    {
        const string legacy = "/project/config/legacy-connections.json";
        GeneratorRun run = GeneratorHarness.Run(
            [(GeneratorHarness.DefaultPath, SampleFile), (legacy, OpsFile), ("/project/config/other.json", "{ not json")],
            fileMetadata: new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [legacy] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.JiraConnectionsFile"] = "true" },
            });

        Assert.Empty(run.Diagnostics);
        // Paths sort: config/legacy-connections.json comes before jira-connections.json.
        Assert.Contains("Emulator => s_connections[0]", run.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void SamePathListedTwiceIsReadOnce()
    {
        GeneratorRun run = GeneratorHarness.Run([(GeneratorHarness.DefaultPath, OpsFile), (GeneratorHarness.DefaultPath, OpsFile)]);

        Assert.Empty(run.Diagnostics);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Source!, "public static global::JiraConfigGen.JiraConnection Emulator"));
    }

    private static Type LoadConnectionsClass(string json, string typeName) =>
        UserProject.Build([(GeneratorHarness.DefaultPath, json)]).Load().GetType(typeName)!;

    private static object? Unwrap(Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
