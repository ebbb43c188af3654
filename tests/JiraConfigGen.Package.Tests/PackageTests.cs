using System.IO.Compression;
using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests;

/// <summary>
/// The JiraConfigGen package, end to end: packed into a temporary feed, referenced by a fresh consumer
/// with nothing but a PackageReference, and built with the real `dotnet build`, exactly as the README's
/// install section says.
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageTests(ConsumerFixture consumer, ITestOutputHelper output) : IClassFixture<ConsumerFixture>
{
    private const string GoodFile = """
        {
          "$schema": "https://raw.githubusercontent.com/JiraConfigGen/JiraConfigGen/main/jira-connections.schema.json",
          "connections": [
            {
              "nickname": "Production",
              "username": "automation@contoso.com",
              "instanceUrl": "contoso.atlassian.net",
              "apiToken": { "env": "JIRA_PROD_TOKEN" }
            }
          ]
        }
        """;

    [Fact]
    public void PackageHoldsTheGeneratorAsAnAnalyzerTheRuntimePerTargetAndTheBuildIntegration()
    {
        using ZipArchive package = ZipFile.OpenRead(consumer.Package);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        output.WriteLine(string.Join("\n", entries.Order()));

        Assert.Contains("analyzers/dotnet/cs/JiraConfigGen.Generator.dll", entries);
        Assert.Contains("lib/netstandard2.0/JiraConfigGen.dll", entries);
        Assert.Contains("lib/net8.0/JiraConfigGen.dll", entries);
        Assert.Contains("buildTransitive/JiraConfigGen.props", entries);
        Assert.Contains("buildTransitive/JiraConfigGen.targets", entries);
        Assert.Contains("jira-connections.schema.json", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("JiraConfigGen.Generator.dll", StringComparison.Ordinal));

        string nuspec = Nuspec(package, "JiraConfigGen");
        Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
        Assert.Contains("<repository type=\"git\" url=\"https://github.com/JiraConfigGen/JiraConfigGen\"", nuspec, StringComparison.Ordinal);
        Assert.Contains("<dependency id=\"Microsoft.Extensions.Http\" version=\"8.0.0\"", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.CodeAnalysis", nuspec, StringComparison.Ordinal);
        output.WriteLine($"pack: {consumer.Pack.Elapsed.TotalSeconds:0.0} s, restore: {consumer.Restore.Elapsed.TotalSeconds:0.0} s");
    }

    [Theory]
    [InlineData("JiraConfigGen", "lib/netstandard2.0/JiraConfigGen.dll")]
    [InlineData("JiraConfigGen", "lib/net8.0/JiraConfigGen.dll")]
    [InlineData("JiraConfigGen.Redis", "lib/net8.0/JiraConfigGen.Redis.dll")]
    [InlineData("JiraConfigGen.Cli", "tools/net8.0/any/jira-connections.dll")]
    public void EveryPackageShipsAnIconAndItsSymbolsAndItsAssembliesAreDeterministic(string id, string assembly)
    {
        string nupkg = Path.Combine(Feed.Instance.Directory, $"{id}.{Feed.Instance.Version}.nupkg");
        string snupkg = Path.ChangeExtension(nupkg, ".snupkg");
        using ZipArchive package = ZipFile.OpenRead(nupkg);
        Assert.NotNull(package.GetEntry("icon.png"));
        string nuspec = Nuspec(package, id);
        Assert.Contains("<icon>icon.png</icon>", nuspec, StringComparison.Ordinal);
        Assert.Matches("<repository type=\"git\" url=\"https://github.com/JiraConfigGen/JiraConfigGen\"[^>]* commit=\"[0-9a-f]{40}\"", nuspec);

        // The assembly was built deterministically and names its PDB, which the symbols package holds.
        using var image = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(Read(package, assembly)));
        var debug = image.ReadDebugDirectory();
        Assert.Contains(debug, e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.Reproducible);
        var codeView = image.ReadCodeViewDebugDirectoryData(Assert.Single(debug, e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.CodeView));
        Assert.True(File.Exists(snupkg), $"no symbols package beside {nupkg}");
        using ZipArchive symbols = ZipFile.OpenRead(snupkg);
        string pdbPath = Path.ChangeExtension(assembly, ".pdb");
        using var pdb = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(Read(symbols, pdbPath)));
        System.Reflection.Metadata.MetadataReader reader = pdb.GetMetadataReader();
        Assert.Equal(codeView.Guid, new System.Reflection.Metadata.BlobContentId(reader.DebugMetadataHeader!.Id).Guid);
        Assert.NotEmpty(reader.Documents);
    }

    [Theory]
    [InlineData("JiraConfigGen", "analyzers/dotnet/cs/JiraConfigGen.Generator.dll")]
    [InlineData("JiraConfigGen.Cli", "tools/net8.0/any/JiraConfigGen.Generator.dll")]
    public void TheGeneratorCarriesItsOwnPdb(string id, string assembly)
    {
        using ZipArchive package = ZipFile.OpenRead(Path.Combine(Feed.Instance.Directory, $"{id}.{Feed.Instance.Version}.nupkg"));
        Assert.Null(package.GetEntry(Path.ChangeExtension(assembly, ".pdb")));

        // The generator is packed as a file (under analyzers/, and beside the tool), not as build output, so its PDB
        // travels inside it rather than in the symbols package, and no loose PDB ships in the package.
        using var image = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(Read(package, assembly)));
        var debug = image.ReadDebugDirectory();
        Assert.Contains(debug, e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.Reproducible);
        using System.Reflection.Metadata.MetadataReaderProvider pdb = image.ReadEmbeddedPortablePdbDebugDirectoryData(
            Assert.Single(debug, e => e.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.EmbeddedPortablePdb));
        System.Reflection.Metadata.MetadataReader reader = pdb.GetMetadataReader();
        Assert.Contains(reader.Documents, d => reader.GetString(reader.GetDocument(d).Name).EndsWith("JiraConnectionsGenerator.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void HelpLinksPointAtTheReadmeOfTheReleasedVersion()
    {
        consumer.Write("jira-connections.json", GoodFile.Replace("contoso.atlassian.net", "https://contoso.atlassian.net", StringComparison.Ordinal));

        CommandResult build = Build();

        Assert.Contains($"(https://github.com/JiraConfigGen/JiraConfigGen/blob/v{consumer.Version}/README.md#jcg003)", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisStoreIsAPackageOfItsOwnSoOnlyItsUsersGetStackExchangeRedis()
    {
        using ZipArchive redis = ZipFile.OpenRead(consumer.RedisPackage);
        var entries = redis.Entries.Select(e => e.FullName).ToHashSet();
        output.WriteLine(string.Join("\n", entries.Order()));
        Assert.Contains("lib/netstandard2.0/JiraConfigGen.Redis.dll", entries);
        Assert.Contains("lib/net8.0/JiraConfigGen.Redis.dll", entries);
        Assert.Contains("lib/net8.0/JiraConfigGen.Redis.xml", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));

        string redisNuspec = Nuspec(redis, "JiraConfigGen.Redis");
        Assert.Contains($"<dependency id=\"JiraConfigGen\" version=\"{consumer.Version}\"", redisNuspec, StringComparison.Ordinal);
        Assert.Contains("<dependency id=\"StackExchange.Redis\"", redisNuspec, StringComparison.Ordinal);

        using ZipArchive core = ZipFile.OpenRead(consumer.Package);
        string coreNuspec = Nuspec(core, "JiraConfigGen");
        Assert.DoesNotContain("StackExchange.Redis", coreNuspec, StringComparison.Ordinal);
        output.WriteLine($"pack of JiraConfigGen.Redis: {consumer.PackRedis.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void BadFileFailsTheBuildAtItsLineAndColumnThenTheFixedFileBuildsAndRuns()
    {
        consumer.Write("jira-connections.json", GoodFile.Replace("\"contoso.atlassian.net\"", "\"https://contoso.atlassian.net/\"", StringComparison.Ordinal));
        CommandResult bad = Build();
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("jira-connections.json(7,22): error JCG003: Connection 'Production': instanceUrl must not include 'https://'; write 'contoso.atlassian.net'", bad.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("error CS", bad.Output, StringComparison.Ordinal); // the accessor still exists: no cascade

        consumer.Write("jira-connections.json", GoodFile);
        CommandResult good = Build("TreatWarningsAsErrors=true");
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.DoesNotContain(": warning ", good.Output, StringComparison.Ordinal);

        CommandResult run = DotNet.Run(consumer.ProjectDirectory, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Production -> https://contoso.atlassian.net/ (env:JIRA_PROD_TOKEN)", run.Output, StringComparison.Ordinal);
        Assert.Contains("TryGet found Production (automation@contoso.com at contoso.atlassian.net)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondConnectionsFileIsPickedUpAndRulesSpanBothFiles()
    {
        consumer.Write("jira-connections.json", GoodFile);
        consumer.Write("ops.jira-connections.json", """
            { "connections": [ { "nickname": "PRODUCTION", "username": "ops@contoso.com", "instanceUrl": "ops.atlassian.net", "apiToken": { "env": "JIRA_OPS_TOKEN" } } ] }
            """);
        try
        {
            CommandResult build = Build();

            Assert.NotEqual(0, build.ExitCode);
            Assert.Contains("ops.jira-connections.json(1,34): error JCG002: Nickname 'PRODUCTION' repeats the nickname of the connection at jira-connections.json(5,19)", build.Output, StringComparison.Ordinal);

            consumer.Write("ops.jira-connections.json", """
                { "connections": [ { "nickname": "Ops", "username": "ops@contoso.com", "instanceUrl": "ops.atlassian.net", "apiToken": { "env": "JIRA_OPS_TOKEN" } } ] }
                """);
            Assert.Equal(0, Build("TreatWarningsAsErrors=true").ExitCode);
            Assert.Contains("Ops -> https://ops.atlassian.net/", DotNet.Run(consumer.ProjectDirectory, "run", "--no-build").Output, StringComparison.Ordinal);
        }
        finally
        {
            consumer.Delete("ops.jira-connections.json");
        }
    }

    [Fact]
    public void GlobalEditorConfigSeverityTakesEffect()
    {
        consumer.Write("jira-connections.json", GoodFile.Replace("automation@contoso.com", "automation", StringComparison.Ordinal));
        try
        {
            CommandResult warning = Build();
            Assert.Equal(0, warning.ExitCode);
            Assert.Contains("jira-connections.json(6,19): warning JCG013", warning.Output, StringComparison.Ordinal);

            consumer.Write(".editorconfig", "is_global = true\ndotnet_diagnostic.JCG013.severity = error\n");
            CommandResult error = Build();
            Assert.NotEqual(0, error.ExitCode);
            Assert.Contains("jira-connections.json(6,19): error JCG013", error.Output, StringComparison.Ordinal);
            consumer.Delete(".editorconfig");

            consumer.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.JCG013.severity = none\n");
            CommandResult silenced = Build("TreatWarningsAsErrors=true");
            Assert.Equal(0, silenced.ExitCode);
            Assert.DoesNotContain("JCG013", silenced.Output, StringComparison.Ordinal);
        }
        finally
        {
            consumer.Delete(".editorconfig");
            consumer.Delete(".globalconfig");
        }
    }

    [Fact]
    public void OptOutRemovesTheGenerator()
    {
        consumer.Write("jira-connections.json", GoodFile.Replace("automation@contoso.com", "automation", StringComparison.Ordinal));

        CommandResult build = Build("JiraConfigGenEnabled=false");

        // No generator: no JCG warning for the file, and no JiraConnections class for Program.cs.
        Assert.NotEqual(0, build.ExitCode);
        Assert.DoesNotContain("JCG", build.Output, StringComparison.Ordinal);
        Assert.Contains("error CS0103: The name 'JiraConnections' does not exist in the current context", build.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LangVersion=7.3", "Nullable=disable")]
    [InlineData("LangVersion=8.0", "Nullable=enable")]
    [InlineData("LangVersion=latest", "Nullable=disable")]
    public void OlderLanguageVersionsAndNullableSettingsBuildWarningFree(string langVersion, string nullable)
    {
        consumer.Write("jira-connections.json", GoodFile);

        CommandResult build = Build(langVersion, nullable, "TreatWarningsAsErrors=true");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(": warning ", build.Output, StringComparison.Ordinal);
        Assert.Contains("TryGet found Production", DotNet.Run(consumer.ProjectDirectory, "run", "--no-build").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void FileListedTwiceIsReadOnceAndOtherNamesCanBeAdded()
    {
        consumer.Write("jira-connections.json", GoodFile);
        consumer.Write("config/legacy.json", """
            { "connections": [ { "nickname": "Legacy", "username": "svc", "instanceUrl": "jira.contoso.internal:8443/jira", "apiToken": { "file": "/run/secrets/legacy" } } ] }
            """);
        consumer.Write("Directory.Build.targets", """
            <Project>
              <ItemGroup>
                <AdditionalFiles Include="jira-connections.json" />
                <JiraConnectionsFile Include="config/legacy.json" />
              </ItemGroup>
            </Project>
            """);
        try
        {
            CommandResult build = Build("TreatWarningsAsErrors=true");

            Assert.True(build.ExitCode == 0, build.ToString()); // read twice, Production would repeat itself (JCG002)
            string run = DotNet.Run(consumer.ProjectDirectory, "run", "--no-build").Output;
            Assert.Contains("Legacy -> https://jira.contoso.internal:8443/jira/ (file:/run/secrets/legacy)", run, StringComparison.Ordinal);
            Assert.Contains("Production -> https://contoso.atlassian.net/", run, StringComparison.Ordinal);
        }
        finally
        {
            consumer.Delete("Directory.Build.targets");
            consumer.Delete("config/legacy.json");
        }
    }

    [Theory]
    [InlineData("JiraConfigGenAccessibility=protected", "The MSBuild property JiraConfigGenAccessibility is 'protected', which JiraConfigGen does not know; use public or internal")]
    [InlineData("JiraConfigGenEnabled=maybe", "The MSBuild property JiraConfigGenEnabled is 'maybe', which JiraConfigGen does not know; use true or false")]
    [InlineData("JiraConfigGenAutoInclude=0", "The MSBuild property JiraConfigGenAutoInclude is '0', which JiraConfigGen does not know; use true or false")]
    public void InvalidOptionValuesAreReported(string property, string message)
    {
        consumer.Write("jira-connections.json", GoodFile);

        CommandResult build = Build(property);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error JCG016: " + message, build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void InternalAccessibilityOptionIsHonoured()
    {
        consumer.Write("jira-connections.json", GoodFile);

        CommandResult build = Build("JiraConfigGenAccessibility=internal", "TreatWarningsAsErrors=true", "EmitCompilerGeneratedFiles=true");

        Assert.True(build.ExitCode == 0, build.ToString());
        string generated = Directory.EnumerateFiles(Path.Combine(consumer.ProjectDirectory, "obj"), "JiraConfigGen.Connections.g.cs", SearchOption.AllDirectories).Single();
        Assert.Contains("internal static partial class JiraConnections", File.ReadAllText(generated), StringComparison.Ordinal);
    }

    [Fact]
    public void SchemaShipsWithThePackageAndItsPathIsAProperty()
    {
        CommandResult property = DotNet.Run(consumer.ProjectDirectory, "msbuild", "-getProperty:JiraConfigGenSchema", "-nologo");

        string path = property.Output.Trim();
        Assert.True(File.Exists(path), property.ToString());
        Assert.Contains("\"$id\": \"https://raw.githubusercontent.com/JiraConfigGen/JiraConfigGen/main/jira-connections.schema.json\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    private CommandResult Build(params string[] properties)
    {
        CommandResult result = consumer.Build(properties);
        output.WriteLine($"dotnet build {string.Join(' ', properties)}: exit {result.ExitCode}, {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    private static string Nuspec(ZipArchive package, string id)
    {
        using var reader = new StreamReader(package.GetEntry(id + ".nuspec")!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] Read(ZipArchive archive, string path)
    {
        using Stream entry = (archive.GetEntry(path) ?? throw new FileNotFoundException($"{path} is not in the package")).Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }
}
