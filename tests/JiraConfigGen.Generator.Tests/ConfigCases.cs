using JiraConfigGen.Generator.Tests.Infrastructure;

namespace JiraConfigGen.Generator.Tests;

/// <summary>One or more connection files with the diagnostics they must produce marked inside.</summary>
public sealed record ConfigCase(string Name, IReadOnlyList<(string Path, string Markup)> Files)
{
    public IReadOnlyList<(string Path, string Text)> CleanFiles =>
        Files.Select(f => (f.Path, Markup.Parse(f.Path, f.Markup).Text)).ToList();

    public IReadOnlyList<ExpectedDiagnostic> Expected =>
        Files.SelectMany(f => Markup.Parse(f.Path, f.Markup).Expected).ToList();

    public override string ToString() => Name;
}

/// <summary>
/// Every test configuration, shared by the diagnostic tests, the schema agreement test and the
/// robustness test's seeds. A case that reports marks where (<c>⟦JCG003:...⟧</c>); a near miss has
/// no mark and must report nothing at all.
/// </summary>
public static class ConfigCases
{
    public const string Ops = GeneratorHarness.ProjectDirectory + "ops.jira-connections.json";

    private const string Valid = """ "nickname": "Production", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" }""";

    public static readonly IReadOnlyList<ConfigCase> Reporting =
    [
        // JCG001: not valid JSON, empty, root not an object, connections not an array.
        File("JCG001 empty file", "⟦JCG001:⟧"),
        File("JCG001 only a comment", "// nothing yet\n⟦JCG001:⟧"),
        File("JCG001 root is an array", "⟦JCG001:[⟧]"),
        File("JCG001 root is a string", "⟦JCG001:\"⟧connections\""),
        File("JCG001 connections is an object", """{ "connections": ⟦JCG001:{ }⟧ }"""),
        File("JCG001 missing comma", """{ "namespace": "A" ⟦JCG001:"⟧className": "B" }"""),
        File("JCG001 truncated file", """{ "connections": [ { "nickname": "A" ⟦JCG001:⟧"""),
        File("JCG001 single quotes", """{ ⟦JCG001:'⟧connections': [] }"""),
        File("JCG001 unterminated string", """{ "connections": [ { "nickname": ⟦JCG001:"⟧Prod } ] }"""),
        File("JCG001 invalid escape", """{ "namespace": "A⟦JCG001:\q⟧" }"""),
        File("JCG001 unterminated comment", """{ ⟦JCG001:/*⟧ "connections": [] }"""),
        File("JCG001 bare word", """{ "connections": ⟦JCG001:nope⟧ }"""),
        File("JCG001 leading zero", """{ "connections": [ { VALID, "webhooks": ⟦JCG001:0⟧1 } ] }"""),
        File("JCG001 text after the root", """{ "connections": [ { VALID } ] } ⟦JCG001:}⟧"""),

        // JCG002: a nickname repeats another (trimmed, case-insensitive), in this or another file.
        File("JCG002 same file", """
            { "connections": [
              { VALID },
              { "nickname": ⟦JCG002:" production "⟧, "username": "bot@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_BOT_TOKEN" } }
            ] }
            """),
        Files("JCG002 across files",
        [
            (GeneratorHarness.DefaultPath, """{ "connections": [ { VALID } ] }"""),
            (Ops, """{ "connections": [ { "nickname": ⟦JCG002:"PRODUCTION"⟧, "username": "ops@contoso.com", "instanceUrl": "ops.atlassian.net", "apiToken": { "env": "JIRA_OPS_TOKEN" } } ] }"""),
        ]),

        // JCG003: a scheme in instanceUrl.
        Connection("JCG003 https", """ "instanceUrl": ⟦JCG003:"https://contoso.atlassian.net"⟧"""),
        Connection("JCG003 upper-case scheme and trailing slash", """ "instanceUrl": ⟦JCG003:"HTTP://contoso.atlassian.net/"⟧"""),
        Connection("JCG003 any scheme", """ "instanceUrl": ⟦JCG003:"jira+ssh://contoso.atlassian.net"⟧"""),
        Connection("JCG003 with a password", """ "instanceUrl": ⟦JCG003:"https://bob:hunter2@contoso.atlassian.net"⟧"""),

        // JCG004: apiToken missing, null or {}.
        File("JCG004 missing", """{ "connections": [ ⟦JCG004:{⟧ "nickname": "A", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net" } ] }"""),
        Connection("JCG004 null", """ "apiToken": ⟦JCG004:null⟧"""),
        Connection("JCG004 empty object", """ "apiToken": ⟦JCG004:{ }⟧"""),

        // JCG005: nickname or instanceUrl missing or blank; username missing or blank with basic auth.
        File("JCG005 no nickname", """{ "connections": [ ⟦JCG005:{⟧ "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } } ] }"""),
        Connection("JCG005 blank nickname", """ "nickname": ⟦JCG005:"   "⟧"""),
        File("JCG005 no instanceUrl", """{ "connections": [ ⟦JCG005:{⟧ "nickname": "A", "username": "a@contoso.com", "apiToken": { "env": "A" } } ] }"""),
        Connection("JCG005 blank instanceUrl", """ "instanceUrl": ⟦JCG005:""⟧"""),
        File("JCG005 basic without username", """{ "connections": [ ⟦JCG005:{⟧ "nickname": "A", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } } ] }"""),
        Connection("JCG005 basic with blank username", """ "username": ⟦JCG005:" "⟧"""),
        File("JCG005 and JCG004 on one object", """{ "connections": [ ⟦JCG004:⟦JCG005:{⟧⟧ "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net" } ] }"""),

        // JCG006: instanceUrl otherwise not host[:port][/path].
        Connection("JCG006 whitespace", """ "instanceUrl": ⟦JCG006:"contoso .atlassian.net"⟧"""),
        Connection("JCG006 trailing slash", """ "instanceUrl": ⟦JCG006:"contoso.atlassian.net/"⟧"""),
        Connection("JCG006 query", """ "instanceUrl": ⟦JCG006:"contoso.atlassian.net?os_authType=basic"⟧"""),
        Connection("JCG006 fragment", """ "instanceUrl": ⟦JCG006:"contoso.atlassian.net#top"⟧"""),
        Connection("JCG006 user-info", """ "instanceUrl": ⟦JCG006:"bob@contoso.atlassian.net"⟧"""),
        Connection("JCG006 empty host", """ "instanceUrl": ⟦JCG006:":8443/jira"⟧"""),
        Connection("JCG006 underscore in host", """ "instanceUrl": ⟦JCG006:"jira_prod.example.com"⟧"""),
        Connection("JCG006 label starts with a hyphen", """ "instanceUrl": ⟦JCG006:"-jira.example.com"⟧"""),
        Connection("JCG006 port 0", """ "instanceUrl": ⟦JCG006:"jira.example.com:0"⟧"""),
        Connection("JCG006 port 65536", """ "instanceUrl": ⟦JCG006:"jira.example.com:65536"⟧"""),
        Connection("JCG006 port with a leading zero", """ "instanceUrl": ⟦JCG006:"jira.example.com:08443"⟧"""),
        Connection("JCG006 port not a number", """ "instanceUrl": ⟦JCG006:"jira.example.com:https"⟧"""),
        Connection("JCG006 REST path", """ "instanceUrl": ⟦JCG006:"jira.example.com/rest/api/2"⟧"""),
        Connection("JCG006 REST path in capitals", """ "instanceUrl": ⟦JCG006:"jira.example.com/REST"⟧"""),
        Connection("JCG006 REST path after the context path", """ "instanceUrl": ⟦JCG006:"jira.example.com/jira/rest/api/2"⟧"""),
        Connection("JCG006 dot segment", """ "instanceUrl": ⟦JCG006:"jira.example.com/jira/.."⟧"""),
        Connection("JCG006 empty path segment", """ "instanceUrl": ⟦JCG006:"jira.example.com//jira"⟧"""),
        Connection("JCG006 unclosed IPv6", """ "instanceUrl": ⟦JCG006:"[::1:8080"⟧"""),
        Connection("JCG006 IPv6 without brackets", """ "instanceUrl": ⟦JCG006:"fe80::1"⟧"""),
        Connection("JCG006 IPv4 out of range", """ "instanceUrl": ⟦JCG006:"10.0.0.256"⟧"""),
        Connection("JCG006 numeric top-level label", """ "instanceUrl": ⟦JCG006:"jira.123"⟧"""),
        Connection("JCG006 percent-encoded letter", """ "instanceUrl": ⟦JCG006:"jira.example.com/%6Aira"⟧"""),
        Connection("JCG006 percent-encoded REST path", """ "instanceUrl": ⟦JCG006:"jira.example.com/%72est"⟧"""),
        Connection("JCG006 percent-encoded dot segment", """ "instanceUrl": ⟦JCG006:"jira.example.com/jira/%2E%2E"⟧"""),
        Connection("JCG006 percent-encoded slash", """ "instanceUrl": ⟦JCG006:"jira.example.com/a%2Frest"⟧"""),
        Connection("JCG006 bidirectional control in the host", "\"instanceUrl\": ⟦JCG006:\"jira.\u202Eexample.com\"⟧"),

        // JCG007: the token itself in the file.
        Connection("JCG007 Atlassian token", """ "apiToken": ⟦JCG007:"ATATT3xFfGF0T4JNjZ9Lq0Ex4d7Tn0S6sSecretSecretSecret"⟧"""),
        Connection("JCG007 any string", """ "apiToken": ⟦JCG007:"correct-horse-battery-staple"⟧"""),
        Connection("JCG007 Atlassian token as a variable name", """ "apiToken": { "env": ⟦JCG007:"ATATT3xFfGF0T4JNjZ9Lq0Ex4d7Tn0S6sSecretSecretSecret"⟧ }"""),
        Connection("JCG007 random token as a configuration key", """ "apiToken": { "config": ⟦JCG007:"NfgzOHTtHRb49HBFgf4ebSPPabSILXXgKPpXSiPvwDUh"⟧ }"""),
        Connection("JCG007 hexadecimal token as a file", """ "apiToken": { "file": ⟦JCG007:"1d8cd8807e2ab68a5e74cd47b2f30519557f35dc"⟧ }"""),
        Connection("JCG007 token beside another source", """ "apiToken": { "env": ⟦JCG007:"SerDq3xepwQ8ioiKuMG7CuYptUywMuY1ow9uQA8b5DI"⟧, ⟦JCG010:"flie"⟧: "x" }"""),

        // JCG008: no identifier, two nicknames giving one identifier, or a clash with a generated member.
        Connection("JCG008 no letter or digit", """ "nickname": ⟦JCG008:"---"⟧"""),
        Connection("JCG008 clashes with All", """ "nickname": ⟦JCG008:"all"⟧"""),
        Connection("JCG008 clashes with TryGet", """ "nickname": ⟦JCG008:"try get"⟧"""),
        Connection("JCG008 clashes with ToString", """ "nickname": ⟦JCG008:"to-string"⟧"""),
        Connection("JCG008 getter name too long for metadata", $$""" "nickname": ⟦JCG008:"{{new string('a', 1020)}}"⟧"""),
        Connection("JCG008 getter name too long in UTF-8", $$""" "nickname": ⟦JCG008:"{{new string('é', 510)}}"⟧"""),
        Connection("JCG008 clashes with the class name", """ "nickname": ⟦JCG008:"jira connections"⟧"""),
        File("JCG008 two nicknames, one identifier", """
            { "connections": [
              { "nickname": "prod eu", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } },
              { "nickname": ⟦JCG008:"prod-eu"⟧, "username": "b@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "B" } }
            ] }
            """),
        File("JCG008 clashes with a custom class name", """{ "className": "Jira", "connections": [ { "nickname": ⟦JCG008:"jira"⟧, "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } } ] }"""),

        // JCG009: unknown property, with a suggestion when one is close.
        File("JCG009 misspelt nickname", """{ "connections": [ ⟦JCG005:{⟧ ⟦JCG009:"nicknme"⟧: "A", "username": "a@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "A" } } ] }"""),
        Connection("JCG009 unrelated property", """⟦JCG009:"colour"⟧: "blue" """),
        File("JCG009 misspelt connections", """⟦JCG014:{⟧ ⟦JCG009:"conections"⟧: [] }"""),

        // JCG010: wrong type or value of a known property.
        Connection("JCG010 auth in capitals", """ "auth": ⟦JCG010:"Basic"⟧"""),
        Connection("JCG010 auth not a string", """ "auth": ⟦JCG010:1⟧"""),
        Connection("JCG010 negative webhooks", """ "webhooks": ⟦JCG010:-1⟧"""),
        Connection("JCG010 fractional webhooks", """ "webhooks": ⟦JCG010:1.5⟧"""),
        Connection("JCG010 webhooks as a string", """ "webhooks": ⟦JCG010:"3"⟧"""),
        Connection("JCG010 events as a string", """ "events": ⟦JCG010:"yes"⟧"""),
        Connection("JCG010 description not a string", """ "description": ⟦JCG010:["ops"]⟧"""),
        Connection("JCG010 nickname not a string", """ "nickname": ⟦JCG010:42⟧"""),
        Connection("JCG010 two token sources", """ "apiToken": { "env": "A", ⟦JCG010:"file"⟧: "/run/secrets/a" }"""),
        Connection("JCG010 unknown token source", """ "apiToken": { ⟦JCG010:"vault"⟧: "jira" }"""),
        Connection("JCG010 blank token name", """ "apiToken": { "config": ⟦JCG010:"  "⟧ }"""),
        Connection("JCG010 token name not a string", """ "apiToken": { "env": ⟦JCG010:true⟧ }"""),
        Connection("JCG010 token as a number", """ "apiToken": ⟦JCG010:12345⟧"""),
        Connection("JCG010 repeated property", """ "description": "a", ⟦JCG010:"description"⟧: "b" """),
        File("JCG010 connection not an object", """{ "connections": [ ⟦JCG010:"Production"⟧ ] }"""),
        File("JCG010 namespace not a string", """{ "namespace": ⟦JCG010:7⟧, "connections": [ { VALID } ] }"""),

        // JCG011: one account, several token references.
        File("JCG011 one account, two tokens", """
            { "connections": [
              { VALID },
              { "nickname": "Sync", "username": "Automation@Contoso.com", "instanceUrl": "CONTOSO.atlassian.net", "apiToken": ⟦JCG011:{ "env": "JIRA_SYNC_TOKEN" }⟧ }
            ] }
            """),

        // JCG011 sees one Jira however it is written: the rule the guard keys accounts by (src/Shared/JiraIdentity.cs).
        File("JCG011 one account, the instance written with its default port and a capital", """
            { "connections": [
              { VALID },
              { "nickname": "Sync", "username": "Automation@contoso.com", "instanceUrl": "Contoso.Atlassian.net:443", "apiToken": ⟦JCG011:{ "env": "JIRA_SYNC_TOKEN" }⟧ }
            ] }
            """),
        File("JCG011 one account, two spellings of one IPv6 address", """
            { "connections": [
              { "nickname": "Mapped", "username": "svc-jira", "instanceUrl": "[::ffff:10.0.0.7]:8443/jira", "apiToken": { "env": "JIRA_A" } },
              { "nickname": "Written", "username": "SVC-JIRA", "instanceUrl": "[0:0:0:0:0:FFFF:a00:7]:8443/jira", "apiToken": ⟦JCG011:{ "env": "JIRA_B" }⟧ },
              { "nickname": "Plain", "username": "svc-jira", "instanceUrl": "10.0.0.7:8443/jira", "apiToken": ⟦JCG011:{ "env": "JIRA_C" }⟧ }
            ] }
            """),

        // JCG012: more than 100 admin webhooks for one instance.
        Connection("JCG012 one connection", """ "webhooks": ⟦JCG012:101⟧"""),
        File("JCG012 across connections", """
            { "connections": [
              { VALID, "webhooks": 60 },
              { "nickname": "Hooks", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" }, "webhooks": ⟦JCG012:50⟧ }
            ] }
            """),

        File("JCG012 one instance written two ways", """
            { "connections": [
              { VALID, "webhooks": 60 },
              { "nickname": "Hooks", "username": "hooks@contoso.com", "instanceUrl": "CONTOSO.atlassian.net:443", "apiToken": { "env": "JIRA_HOOKS_TOKEN" }, "webhooks": ⟦JCG012:50⟧ }
            ] }
            """),

        // JCG013: basic auth on Atlassian Cloud without an email address.
        Connection("JCG013 plain user name", """ "username": ⟦JCG013:"automation"⟧"""),
        File("JCG013 jira.com host", """{ "connections": [ { "nickname": "Legacy", "username": ⟦JCG013:"bob@localhost"⟧, "instanceUrl": "legacy.jira.com", "apiToken": { "env": "A" } } ] }"""),

        // JCG014: no connections.
        File("JCG014 empty array", """{ "connections": ⟦JCG014:[⟧ ] }"""),
        File("JCG014 no connections property", """⟦JCG014:{⟧ "namespace": "Contoso" }"""),

        // JCG015: namespace or className invalid, or different in two files.
        File("JCG015 empty namespace part", """{ "namespace": ⟦JCG015:"Contoso..App"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 keyword namespace", """{ "namespace": ⟦JCG015:"Contoso.class"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 class name with a hyphen", """{ "className": ⟦JCG015:"Jira-Connections"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 lower-case class name (CS8981)", """{ "className": ⟦JCG015:"jira"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 keyword class name", """{ "className": ⟦JCG015:"static"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 class name of a generated member", """{ "className": ⟦JCG015:"TryGet"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 class name of a generated field", """{ "className": ⟦JCG015:"s_catalog"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 class name of a runtime type", """{ "namespace": "JiraConfigGen", "className": ⟦JCG015:"JiraConnection"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 namespace of a runtime type", """{ "namespace": ⟦JCG015:"JiraConfigGen.JiraSecretReference.Generated"⟧, "connections": [ { VALID } ] }"""),
        File("JCG015 class name too long for metadata", $$"""{ "className": ⟦JCG015:"J{{new string('x', 1023)}}"⟧, "connections": [ { VALID } ] }"""),
        Files("JCG015 two files, two namespaces",
        [
            (GeneratorHarness.DefaultPath, """{ "namespace": "Contoso.Jira", "connections": [ { VALID } ] }"""),
            (Ops, """{ "namespace": ⟦JCG015:"Contoso.Ops"⟧, "connections": [ { "nickname": "Ops", "username": "ops@contoso.com", "instanceUrl": "ops.atlassian.net", "apiToken": { "env": "JIRA_OPS_TOKEN" } } ] }"""),
        ]),
    ];

    /// <summary>Files close to a rule's edge that must report nothing at all.</summary>
    public static readonly IReadOnlyList<ConfigCase> NearMisses =
    [
        File("ok: comments, trailing commas and a BOM", "\uFEFF// Jira connections\n{ /* the list */ \"connections\": [ { VALID, }, ], }"),
        File("ok: the spec's full example", """
            {
              "$schema": "./jira-connections.schema.json",
              "namespace": "Contoso.Integrations",
              "className": "JiraConnections",
              "connections": [
                {
                  "nickname": "Production",
                  "username": "automation@contoso.com",
                  "instanceUrl": "contoso.atlassian.net",
                  "apiToken": { "env": "JIRA_PROD_TOKEN" },
                  "auth": "basic",
                  "description": "Ops automation account",
                  "events": false,
                  "webhooks": 0
                }
              ]
            }
            """),
        Connection("ok: Data Center with port and context path", """ "instanceUrl": "jira.example.com:8443/jira", "username": "svc-jira" """),
        Connection("ok: loopback with port and path", """ "instanceUrl": "localhost:2990/jira" """),
        Connection("ok: IPv4 with port", """ "instanceUrl": "127.0.0.1:8080" """),
        Connection("ok: IPv6 with port", """ "instanceUrl": "[::1]:8080" """),
        Connection("ok: a path that only starts with the letters rest", """ "instanceUrl": "jira.example.com/restaurant" """),
        Connection("ok: punycode host", """ "instanceUrl": "xn--bcher-kva.example" """),
        Connection("ok: highest port", """ "instanceUrl": "jira.example.com:65535" """),
        Connection("ok: context path with unreserved characters", """ "instanceUrl": "jira.example.com/jira/sub-path_1.x~" """),
        Connection("ok: bearer without username", """ "auth": "bearer", "username": "" """),
        File("ok: bearer with no username property", """{ "connections": [ { "nickname": "DC", "instanceUrl": "jira.example.com", "apiToken": { "file": "/run/secrets/jira_pat" }, "auth": "bearer" } ] }"""),
        Connection("ok: config and file sources", """ "apiToken": { "config": "Jira:Production:ApiToken" } """),
        Connection("ok: nickname starting with a digit", """ "nickname": "2fa bot" """),
        Connection("ok: nickname with non-ASCII letters", """ "nickname": "Produção" """),
        Connection("ok: description with markup characters", """ "description": "Ops <automation> & \"bots\" for 'prod'\nsecond line" """),
        Connection("ok: whole-number webhooks written as 1.0 and events true", """ "webhooks": 1.0, "events": true """),
        Connection("ok: webhooks at the limit", """ "webhooks": 100 """),
        File("ok: one account, one token, referenced twice", """
            { "connections": [
              { VALID },
              { "nickname": "Sync", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" } }
            ] }
            """),
        File("ok: same user name on two instances", """
            { "connections": [
              { VALID },
              { "nickname": "Staging", "username": "automation@contoso.com", "instanceUrl": "contoso-staging.atlassian.net", "apiToken": { "env": "JIRA_STAGING_TOKEN" } }
            ] }
            """),
        File("ok: another port is another instance", """
            { "connections": [
              { "nickname": "Https", "username": "svc-jira", "instanceUrl": "jira.example.com", "apiToken": { "env": "JIRA_A" } },
              { "nickname": "Alt", "username": "svc-jira", "instanceUrl": "jira.example.com:8443", "apiToken": { "env": "JIRA_B" } }
            ] }
            """),
        File("ok: another context path is another instance", """
            { "connections": [
              { "nickname": "Prod", "username": "svc-jira", "instanceUrl": "jira.example.com/jira", "apiToken": { "env": "JIRA_A" } },
              { "nickname": "Test", "username": "svc-jira", "instanceUrl": "jira.example.com/Jira", "apiToken": { "env": "JIRA_B" } }
            ] }
            """),
        File("ok: 100 webhooks split over two connections", """
            { "connections": [
              { VALID, "webhooks": 60 },
              { "nickname": "Hooks", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "env": "JIRA_PROD_TOKEN" }, "webhooks": 40 }
            ] }
            """),
        File("ok: 110 webhooks over two instances", """
            { "connections": [
              { VALID, "webhooks": 60 },
              { "nickname": "Other", "username": "automation@contoso.com", "instanceUrl": "other.atlassian.net", "apiToken": { "env": "JIRA_OTHER_TOKEN" }, "webhooks": 50 }
            ] }
            """),
        File("ok: non-email username off Cloud", """{ "connections": [ { "nickname": "DC", "username": "svc-jira", "instanceUrl": "jira.example.com", "apiToken": { "env": "A" } } ] }"""),
        Files("ok: two files, same namespace, distinct nicknames",
        [
            (GeneratorHarness.DefaultPath, """{ "namespace": "Contoso.Jira", "connections": [ { VALID } ] }"""),
            (Ops, """{ "namespace": "Contoso.Jira", "connections": [ { "nickname": "Ops", "username": "ops@contoso.com", "instanceUrl": "ops.atlassian.net", "apiToken": { "env": "JIRA_OPS_TOKEN" } } ] }"""),
        ]),
        Connection("ok: getter name at the metadata limit", $$""" "nickname": "{{new string('a', 1019)}}" """),
        File("ok: class name at the metadata limit", $$"""{ "className": "J{{new string('x', 1022 - "Contoso.App.".Length)}}", "connections": [ { VALID } ] }"""),
        Connection("ok: a long variable name made of words and digits", """ "apiToken": { "env": "JIRA_PRODUCTION_API_TOKEN_2024_11_30_ROTATED" } """),
        Connection("ok: a camel-case configuration key with digits", """ "apiToken": { "config": "ConnectionStrings:JiraProductionEuropeWest2ApiToken" } """),
        Connection("ok: a long secret file path", """ "apiToken": { "file": "/mnt/secrets-store/jira-production-europe-west-2/api-token" } """),
        File("ok: a namespace that starts with the runtime's but names no type of it", """{ "namespace": "JiraConfigGen.Samples", "connections": [ { VALID } ] }"""),
        File("ok: namespace with a contextual keyword and a className", """{ "namespace": "Contoso.async.V2", "className": "Jira", "connections": [ { VALID } ] }"""),
    ];

    public static IEnumerable<ConfigCase> All => Reporting.Concat(NearMisses);

    public static ConfigCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> ReportingNames => [.. Reporting.Select(c => c.Name)];

    public static TheoryData<string> NearMissNames => [.. NearMisses.Select(c => c.Name)];

    /// <summary>A single file at the default path; <c>VALID</c> stands for a complete valid connection's properties.</summary>
    private static ConfigCase File(string name, string markup) => Files(name, [(GeneratorHarness.DefaultPath, markup)]);

    private static ConfigCase Files(string name, (string Path, string Markup)[] files) =>
        new(name, files.Select(f => (f.Path, f.Markup.Replace("VALID", Valid, StringComparison.Ordinal))).ToList());

    /// <summary>One connection: the valid one with <paramref name="properties"/> replacing (or adding to) its own.</summary>
    private static ConfigCase Connection(string name, string properties)
    {
        string[] overridden = ["nickname", "username", "instanceUrl", "apiToken"];
        var kept = Valid.Trim().Split(", \"").Select((p, i) => i == 0 ? p : "\"" + p)
            .Where(p => !overridden.Any(o => p.StartsWith($"\"{o}\"", StringComparison.Ordinal) && properties.Contains($"\"{o}\":", StringComparison.Ordinal)));
        return File(name, "{ \"connections\": [ { " + string.Join(", ", kept) + ", " + properties + " } ] }");
    }
}
