using System.Text;
using JiraConfigGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace JiraConfigGen.Benchmarks;

/// <summary>The inputs every benchmark shares: connection files of a given size and a small user project.</summary>
internal static class Inputs
{
    public const string Path = "/project/jira-connections.json";

    /// <summary>A valid file of <paramref name="connections"/> connections, shaped like a real one (comments, descriptions, several sources).</summary>
    public static string ConnectionsFile(int connections)
    {
        var json = new StringBuilder("{\n  // generated for the benchmarks\n  \"$schema\": \"./jira-connections.schema.json\",\n  \"namespace\": \"Contoso.Integrations\",\n  \"connections\": [\n");
        for (int i = 0; i < connections; i++)
        {
            string token = (i % 3) switch
            {
                0 => $"{{ \"env\": \"JIRA_TOKEN_{i}\" }}",
                1 => $"{{ \"config\": \"Jira:Tenant{i}:ApiToken\" }}",
                _ => $"{{ \"file\": \"/run/secrets/jira_{i}\" }}",
            };
            json.Append("    {\n")
                .Append($"      \"nickname\": \"Tenant {i}\",\n")
                .Append($"      \"username\": \"automation{i}@contoso.com\",\n")
                .Append($"      \"instanceUrl\": \"tenant{i}.atlassian.net\",\n")
                .Append($"      \"apiToken\": {token},\n")
                .Append($"      \"description\": \"Automation account of tenant {i}\",\n")
                .Append($"      \"webhooks\": {i % 5}\n")
                .Append(i < connections - 1 ? "    },\n" : "    }\n");
        }

        return json.Append("  ]\n}\n").ToString();
    }

    public static CSharpCompilation Compilation(string userCode = "namespace User { public static class Existing { public static int Value => 1; } }") =>
        CSharpCompilation.Create(
            "UserProject",
            [CSharpSyntaxTree.ParseText(userCode, new CSharpParseOptions(LanguageVersion.Latest), "/project/User.cs")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location), MetadataReference.CreateFromFile(typeof(JiraConnection).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>
    /// The file's text as the compiler reads an AdditionalFile: decoded from UTF-8 bytes, which makes a
    /// chunked text (not one string) above 40K characters, as <c>SourceText.From(Stream)</c> does in csc.
    /// </summary>
    public static SourceText FileText(string json) =>
        SourceText.From(new MemoryStream(Encoding.UTF8.GetBytes(json)), Encoding.UTF8);

    public static GeneratorDriver Driver(SourceText json) =>
        CSharpGeneratorDriver.Create([new JiraConnectionsGenerator().AsSourceGenerator()], [new Text(Path, json)]);

    /// <summary>An AdditionalFile held in memory.</summary>
    private sealed class Text(string path, SourceText text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => text;
    }
}
