using System.Text.Json;
using JiraConfigGen.Package.Tests.Cli;
using Xunit.Abstractions;

namespace JiraConfigGen.Package.Tests.Schema;

/// <summary>
/// The schema as users meet it: VS Code's JSON language service (the engine of VS Code's JSON editing) shows the
/// schema's messages, which say what the generator would say and name its diagnostic, at the value they concern;
/// commented files are not flagged; a new connection is one completion away; and Ajv compiles the schema in strict
/// mode with no warning.
/// </summary>
public sealed class SchemaInEditorsTests(ITestOutputHelper output)
{
    private const string Valid = """ "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" }""";

    /// <summary>Each rule the schema checks: a file that breaks it, the value the message is at, and what the message must say.</summary>
    private static readonly (string Name, string Text, string At, string Id, string Says)[] Rules =
    [
        ("scheme", Connection(""" "instanceUrl": "https://contoso.atlassian.net" """), "\"https://", "JCG003", "no scheme such as 'https://'"),
        ("percent-encoding", Connection(""" "instanceUrl": "jira.example.com/%72est" """), "\"jira.example.com/%", "JCG006", "percent-encoding"),
        ("pasted token", Connection(""" "apiToken": "ATATT3xFfGF0T4JNjZ9" """), "\"ATATT", "JCG007", "must not hold the token itself"),
        ("token as a name", Connection(""" "apiToken": { "env": "ATATT3xFfGF0T4JNjZ9" } """), "\"ATATT", "JCG007", "not the token itself"),
        ("blank variable", Connection(""" "apiToken": { "env": " " } """), "\" \"", "JCG010", "not blank"),
        ("nickname without a letter", Connection(""" "nickname": "---" """), "\"---", "JCG008", "needs a letter or digit"),
        ("auth", Connection(""" "auth": "Basic" """), "\"Basic", "JCG010", "\"auth\" must be \"basic\""),
        ("events", Connection(""" "events": "yes" """), "\"yes", "JCG010", "\"events\" must be true or false"),
        ("webhooks", Connection(""" "webhooks": 1.5 """), "1.5", "JCG010", "whole number of admin webhooks"),
        ("Cloud username", Connection(""" "username": "automation" """), "\"automation\"", "JCG013", "email address"),
        ("blank username", Connection(""" "username": " " """), "\" \"", "JCG005", "must not be blank"),
        ("class name", """{ "className": "jira", "connections": [ { VALID } ] }""", "\"jira\"", "JCG015", "not all lower-case"),
        ("generated member", """{ "className": "TryGet", "connections": [ { VALID } ] }""", "\"TryGet\"", "JCG015", "not a member of the generated class"),
        ("namespace", """{ "namespace": "Contoso..App", "connections": [ { VALID } ] }""", "\"Contoso", "JCG015", "namespace must be a C# namespace"),
    ];

    [SkippableFact]
    public void EveryRuleTheSchemaChecksSaysWhatTheGeneratorSaysAtTheValue()
    {
        JsonElement result = Check(Rules.Select(r => new Case(r.Name, "json", r.Text.Replace("VALID", Valid, StringComparison.Ordinal))));

        foreach ((string name, string text, string at, string id, string says) in Rules)
        {
            string file = text.Replace("VALID", Valid, StringComparison.Ordinal);
            JsonElement diagnostic = Assert.Single(Diagnostics(result, name).EnumerateArray());
            string message = diagnostic.GetProperty("message").GetString()!;
            Assert.True(message.Contains(id, StringComparison.Ordinal) && message.Contains(says, StringComparison.Ordinal), $"{name}: {message}");
            Assert.True(message.Length <= 300 && !message.Contains("(?", StringComparison.Ordinal), $"{name}: a message to read, not a pattern: {message}");
            Assert.Equal(file.IndexOf(at, StringComparison.Ordinal), diagnostic.GetProperty("character").GetInt32());
        }
    }

    [SkippableFact]
    public void CommentsAndTrailingCommasAreAllowedEvenInPlainJsonMode()
    {
        const string Commented = "// Jira connections\n{\n  /* the list */\n  \"connections\": [\n    { \"nickname\": \"A\", \"username\": \"a@contoso.com\", \"instanceUrl\": \"contoso.atlassian.net\", \"apiToken\": { \"env\": \"A\" }, },\n  ],\n}\n";

        JsonElement result = Check([new Case("json", "json", Commented), new Case("jsonc", "jsonc", Commented)]);

        Assert.Empty(Diagnostics(result, "json").EnumerateArray());
        Assert.Empty(Diagnostics(result, "jsonc").EnumerateArray());
    }

    [SkippableFact]
    public void ANewConnectionIsOneCompletionAway()
    {
        const string Empty = """{ "connections": [  ] }""";

        JsonElement result = Check([new Case("connection", "json", Empty, Empty.IndexOf("[ ", StringComparison.Ordinal) + 2), new Case("file", "json", string.Empty, 0)]);

        string[] Labels(string name) => result.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name)
            .GetProperty("completions").EnumerateArray().Select(l => l.GetString()!).ToArray();
        Assert.Contains("New connection", Labels("connection"));
        Assert.Contains("New Data Center connection", Labels("connection"));
        Assert.Contains("New connections file", Labels("file"));
    }

    [SkippableFact]
    public void AjvCompilesTheSchemaInStrictModeWithNoWarning()
    {
        JsonElement ajv = Check([]).GetProperty("ajv");

        Assert.Equal(JsonValueKind.Null, ajv.GetProperty("compileError").ValueKind);
        Assert.Empty(ajv.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void TheSchemaStoreCatalogEntryNamesThePublishedSchemaAndBothFileNames()
    {
        using JsonDocument entry = JsonDocument.Parse(File.ReadAllText(Path.Combine(Feed.RepositoryRoot, "schemastore", "catalog-entry.json")));
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Feed.RepositoryRoot, "jira-connections.schema.json")));

        Assert.Equal(schema.RootElement.GetProperty("$id").GetString(), entry.RootElement.GetProperty("url").GetString());
        string[] fileMatch = entry.RootElement.GetProperty("fileMatch").EnumerateArray().Select(m => m.GetString()!).ToArray();
        Assert.Equal(["*jira-connections.json"], fileMatch);
        Assert.False(string.IsNullOrWhiteSpace(entry.RootElement.GetProperty("description").GetString()));
    }

    private static string Connection(string properties)
    {
        string[] overridden = ["nickname", "username", "instanceUrl", "apiToken"];
        IEnumerable<string> kept = Valid.Trim().Split(", \"").Select((p, i) => i == 0 ? p : "\"" + p)
            .Where(p => !overridden.Any(o => p.StartsWith($"\"{o}\"", StringComparison.Ordinal) && properties.Contains($"\"{o}\":", StringComparison.Ordinal)));
        return "{ \"connections\": [ { " + string.Join(", ", kept) + ", " + properties.Trim() + " } ] }";
    }

    private static JsonElement Diagnostics(JsonElement result, string name) =>
        result.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("diagnostics");

    /// <summary>Runs schema-check.js (Ajv and VS Code's JSON language service) on the cases.</summary>
    private JsonElement Check(IEnumerable<Case> cases)
    {
        (string node, string modules) = ExternalTools.SchemaTools();
        string casesFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(casesFile, JsonSerializer.Serialize(cases.Select(c => new { name = c.Name, languageId = c.LanguageId, text = c.Text, completeAt = c.CompleteAt })));
            string script = Path.Combine(Feed.RepositoryRoot, "tests", "JiraConfigGen.Package.Tests", "Schema", "schema-check.js");
            System.Diagnostics.ProcessStartInfo start = DotNet.StartInfo(node, Path.GetTempPath(), [script, Path.Combine(Feed.RepositoryRoot, "jira-connections.schema.json"), casesFile]);
            start.Environment["NODE_PATH"] = modules;
            ProcessOutput result = DotNet.Execute(start, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, result.StandardError);
            output.WriteLine(result.StandardOutput);
            return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
        }
        finally
        {
            File.Delete(casesFile);
        }
    }

    private sealed record Case(string Name, string LanguageId, string Text, int? CompleteAt = null);
}
