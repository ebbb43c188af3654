using System.Text.Json;
using System.Text.Json.Nodes;
using JiraConfigGen.Generator.Tests.Infrastructure;
using Json.Schema;

namespace JiraConfigGen.Generator.Tests;

/// <summary>
/// <c>jira-connections.schema.json</c> and the generator judge every test configuration alike: the
/// schema rejects a file exactly when the generator reports something about it, and at the same place,
/// except for the rules JSON Schema cannot express, which are listed here with the reason.
/// </summary>
public class SchemaAgreementTests
{
    /// <summary>Cases the generator reports but a schema cannot: rules that compare values across objects or files.</summary>
    private static readonly Dictionary<string, string> BeyondSchema = new()
    {
        ["JCG002 same file"] = "uniqueness of one property across array items",
        ["JCG002 across files"] = "a schema sees one file at a time",
        ["JCG008 clashes with All"] = "the identifier is derived from the nickname",
        ["JCG008 clashes with TryGet"] = "the identifier is derived from the nickname",
        ["JCG008 clashes with ToString"] = "the identifier is derived from the nickname",
        ["JCG008 clashes with the class name"] = "compares a nickname with className",
        ["JCG008 clashes with a custom class name"] = "compares a nickname with className",
        ["JCG008 two nicknames, one identifier"] = "compares derived identifiers across items",
        ["JCG008 getter name too long for metadata"] = "the UTF-8 length of the identifier derived from the nickname",
        ["JCG008 getter name too long in UTF-8"] = "the UTF-8 length of the identifier derived from the nickname",
        ["JCG007 random token as a configuration key"] = "a heuristic over the words of a name (SecretShape)",
        ["JCG007 hexadecimal token as a file"] = "a heuristic over the words of a name (SecretShape)",
        ["JCG011 one account, two tokens"] = "compares accounts across items",
        ["JCG011 one account, the instance written with its default port and a capital"] = "compares accounts across items",
        ["JCG011 one account, two spellings of one IPv6 address"] = "compares accounts across items",
        ["JCG012 across connections"] = "a sum across items",
        ["JCG012 one instance written two ways"] = "a sum across items",
        ["JCG015 two files, two namespaces"] = "a schema sees one file at a time",
    };

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "jira-connections.schema.json"))));

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static TheoryData<string> CaseNames => [.. ConfigCases.All.Select(c => c.Name).Where(n => !BeyondSchema.ContainsKey(n))];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void SchemaRejectsExactlyWhatTheGeneratorReports(string name)
    {
        ConfigCase config = ConfigCases.Get(name);
        var files = config.CleanFiles.Select(f => (f.Path, Node: ParseOrNull(f.Text))).ToList();
        if (files.Any(f => f.Node is null))
        {
            // Not JSON (JCG001 syntax errors), or a repeated key, which a JSON tree cannot hold: nothing to validate.
            Assert.Contains(ConfigCases.Get(name).Expected, e => e.Id is "JCG001" or "JCG010");
            return;
        }

        GeneratorRun run = GeneratorHarness.Run(config.CleanFiles);
        var failures = files.Select(f => (f.Path, Result: Schema.Value.Evaluate(f.Node, new EvaluationOptions { OutputFormat = OutputFormat.List })))
            .Where(f => !f.Result.IsValid)
            .ToList();

        bool generatorReports = run.Diagnostics.Any();
        Assert.True(
            generatorReports == failures.Count > 0,
            $"generator: {(generatorReports ? string.Join("; ", run.Diagnostics) : "nothing")}\nschema: {(failures.Count > 0 ? string.Join("; ", failures.SelectMany(f => f.Result.Details).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) : "valid")}");

        // And at the same place: each diagnostic is at a value the schema rejects, or at a property of an object the
        // schema rejects (an unknown or missing property is an error of its object), and each schema error has a
        // diagnostic there or just below (a file-wide diagnostic such as JCG014 is at the root).
        foreach ((string path, EvaluationResults result) in failures)
        {
            // An "if" that does not hold is not an error: only failures outside an "if" count. Where the failure has no
            // message of its own (a "not"), its place is the deepest value that failed.
            EvaluationResults[] failed = result.Details.Where(d => !d.IsValid && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal)).ToArray();
            string[] schemaPlaces = failed.Where(d => d.Errors is { Count: > 0 }).Select(d => d.InstanceLocation.ToString()).Distinct().ToArray();
            if (schemaPlaces.Length == 0)
            {
                schemaPlaces = [failed.Select(d => d.InstanceLocation.ToString()).MaxBy(l => l.Count(c => c == '/'))!];
            }


            using JiraConfigGen.Generator.Json.JsonParseResult parsed = JiraConfigGen.Generator.Json.JsonParser.Parse(
                Microsoft.CodeAnalysis.Text.SourceText.From(config.CleanFiles.Single(f => f.Path == path).Text));
            string[] diagnosticPlaces = run.Diagnostics
                .Where(d => d.Location.GetLineSpan().Path == path)
                .Select(d => PointerAt(parsed.Root, d.Location.SourceSpan.Start))
                .ToArray();
            foreach (string place in diagnosticPlaces)
            {
                Assert.True(schemaPlaces.Any(s => Near(s, place)), $"{name}: the generator reports at {place}; the schema at {string.Join(", ", schemaPlaces)}");
            }

            foreach (string place in schemaPlaces)
            {
                Assert.True(diagnosticPlaces.Any(d => Near(place, d)), $"{name}: the schema rejects {place}; the generator reports at {string.Join(", ", diagnosticPlaces)}");
            }
        }
    }

    /// <summary>Whether <paramref name="inner"/> is <paramref name="outer"/> or one of its members (JSON pointers).</summary>
    private static bool Near(string outer, string inner) =>
        inner == outer || (inner.StartsWith(outer.TrimEnd('/') + "/", StringComparison.Ordinal) && inner.Count(c => c == '/') == outer.TrimEnd('/').Count(c => c == '/') + 1);

    /// <summary>The JSON pointer of the innermost value (or property, at its name) that holds <paramref name="offset"/>.</summary>
    private static string PointerAt(JiraConfigGen.Generator.Json.JsonValue root, int offset)
    {
        var pointer = new System.Text.StringBuilder();
        JiraConfigGen.Generator.Json.JsonValue value = root;
        while (true)
        {
            bool deeper = false;
            if (value.Kind == JiraConfigGen.Generator.Json.JsonKind.Object)
            {
                foreach (JiraConfigGen.Generator.Json.JsonProperty property in value.Properties)
                {
                    bool atName = property.NameSpan.Contains(offset);
                    if (atName || property.Value.Span.Contains(offset))
                    {
                        pointer.Append('/').Append(property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
                        value = property.Value;
                        deeper = !atName;
                        break;
                    }
                }
            }
            else if (value.Kind == JiraConfigGen.Generator.Json.JsonKind.Array)
            {
                int index = 0;
                foreach (JiraConfigGen.Generator.Json.JsonValue item in value.Items)
                {
                    if (item.Span.Contains(offset))
                    {
                        pointer.Append('/').Append(index);
                        value = item;
                        deeper = true;
                        break;
                    }

                    index++;
                }
            }

            if (!deeper)
            {
                return pointer.ToString();
            }
        }
    }

    [Fact]
    public void RulesBeyondTheSchemaAreReportedByTheGeneratorOnly()
    {
        foreach ((string name, string reason) in BeyondSchema)
        {
            ConfigCase config = ConfigCases.Get(name);
            Assert.NotEmpty(GeneratorHarness.Run(config.CleanFiles).Diagnostics);
            Assert.All(config.CleanFiles, f => Assert.True(Schema.Value.Evaluate(ParseOrNull(f.Text)).IsValid, $"{name}: the schema now expresses '{reason}'; move the case out of the list"));
        }
    }

    [Fact]
    public void SchemaDocumentsEveryPropertyAndHasARealId()
    {
        JsonNode schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "jira-connections.schema.json")))!;

        Assert.StartsWith("https://raw.githubusercontent.com/JiraConfigGen/JiraConfigGen/", (string)schema["$id"]!, StringComparison.Ordinal);
        var objects = new[] { schema, schema["definitions"]!["connection"]!, schema["definitions"]!["secretReference"]! };
        foreach (JsonNode obj in objects)
        {
            Assert.False((bool)obj["additionalProperties"]!);
            foreach ((string property, JsonNode? definition) in obj["properties"]!.AsObject())
            {
                JsonNode resolved = definition!["$ref"] is { } reference ? schema["definitions"]![((string)reference!).Split('/')[^1]]! : definition;
                Assert.False(string.IsNullOrWhiteSpace((string?)resolved["description"]), $"'{property}' has no description");
            }
        }

        Assert.Equal("basic", (string)schema["definitions"]!["connection"]!["properties"]!["auth"]!["default"]!);
        Assert.Equal("JiraConnections", (string)schema["properties"]!["className"]!["default"]!);
    }

    /// <summary>JsonNode reads objects lazily; walking them surfaces a repeated key now rather than mid-evaluation.</summary>
    private static void Materialize(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (KeyValuePair<string, JsonNode?> property in obj)
            {
                Materialize(property.Value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                Materialize(item);
            }
        }
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            JsonNode? node = JsonNode.Parse(text.TrimStart('\uFEFF'), NodeOptions, DocumentOptions);
            Materialize(node);
            return node;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
