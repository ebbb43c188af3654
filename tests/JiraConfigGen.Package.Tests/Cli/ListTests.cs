using System.IO.Compression;
using System.Text.Json;

namespace JiraConfigGen.Package.Tests.Cli;

/// <summary><c>jira-connections list</c>, and the tool package itself.</summary>
[Collection(PackagesCollection.Name)]
public sealed class ListTests(Tool tool) : IClassFixture<Tool>, IDisposable
{
    private readonly string _repository = Directory.CreateTempSubdirectory("jcg-list-").FullName;

    public void Dispose() => Directory.Delete(_repository, recursive: true);

    [Fact]
    public void ListsEveryConnectionAndTheOnesThatShareAnAccountOrATokenByTheRuntimesRules()
    {
        Write("ops/jira-connections.json", """
            {
              "connections": [
                { "nickname": "Sync", "username": "automation@contoso.com", "instanceUrl": "contoso.atlassian.net", "apiToken": { "config": "Jira:Shared:ApiToken" } },
                { "nickname": "Broken", "username": "automation@contoso.com", "instanceUrl": "https://bob:hunter2@contoso.atlassian.net", "apiToken": { "env": "JIRA_BROKEN_TOKEN" } }
              ]
            }
            """);
        Write("team/reports.jira-connections.json", """
            {
              "connections": [
                { "nickname": "Reports", "username": "AUTOMATION@contoso.com", "instanceUrl": "Contoso.Atlassian.Net:443", "apiToken": { "config": "jira:shared:apitoken" } },
                { "nickname": "Legacy", "auth": "bearer", "instanceUrl": "jira.contoso.com/jira", "apiToken": { "env": "JIRA_PAT" } }
              ]
            }
            """);

        ToolResult list = tool.Run(_repository, "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(
            """
            NICKNAME  INSTANCE                   ACCOUNT                                           AUTH    TOKEN                        FILE
            Sync      contoso.atlassian.net      contoso.atlassian.net/automation@contoso.com      basic   config:Jira:Shared:ApiToken  ops/jira-connections.json:3
            Broken    contoso.atlassian.net      (has errors: JCG003)                              -       -                            ops/jira-connections.json:4
            Reports   Contoso.Atlassian.Net:443  Contoso.Atlassian.Net:443/AUTOMATION@contoso.com  basic   config:jira:shared:apitoken  team/reports.jira-connections.json:3
            Legacy    jira.contoso.com/jira      jira.contoso.com/jira/token:env:JIRA_PAT          bearer  env:JIRA_PAT                 team/reports.jira-connections.json:4

            Accounts with more than one connection (a failed login by one counts against all):
              contoso.atlassian.net/automation@contoso.com: Sync (ops/jira-connections.json:3), Reports (team/reports.jira-connections.json:3)

            Tokens read by more than one connection (when you rotate one, each of these uses the new value):
              config:Jira:Shared:ApiToken: Sync (ops/jira-connections.json:3), Reports (team/reports.jira-connections.json:3)

            """,
            list.StandardOutput);
        Assert.Equal("jira-connections: 1 connection cannot be used as written; 'jira-connections validate' says why.\n", list.StandardError);
        Assert.DoesNotContain("hunter2", list.StandardOutput, StringComparison.Ordinal);

        ToolResult json = tool.Run(_repository, "list", "--format", "json");
        using JsonDocument document = JsonDocument.Parse(json.StandardOutput);
        JsonElement legacy = document.RootElement.GetProperty("connections")[3];
        Assert.Equal("Legacy", legacy.GetProperty("nickname").GetString());
        Assert.Equal("team/reports.jira-connections.json", legacy.GetProperty("path").GetString());
        Assert.Equal(4, legacy.GetProperty("line").GetInt32());
        Assert.Equal("bearer", legacy.GetProperty("auth").GetString());
        Assert.Equal("env:JIRA_PAT", legacy.GetProperty("token").GetString());
        Assert.Equal("has errors: JCG003", document.RootElement.GetProperty("connections")[1].GetProperty("problem").GetString());
        JsonElement shared = Assert.Single(document.RootElement.GetProperty("sharedAccounts").EnumerateArray());
        Assert.Equal(["Sync", "Reports"], shared.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("nickname").GetString()));
        Assert.Single(document.RootElement.GetProperty("sharedTokens").EnumerateArray());
    }

    [Fact]
    public void TheToolPackageRunsOnNet8AndLaterAndHoldsItsReadme()
    {
        using ZipArchive package = ZipFile.OpenRead(Feed.Instance.CliPackage);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("tools/net8.0/any/jira-connections.dll", entries);
        Assert.Contains("tools/net8.0/any/JiraConfigGen.Generator.dll", entries); // the generator's rules, the same assembly
        Assert.Contains("tools/net8.0/any/DotnetToolSettings.xml", entries);
        Assert.Contains("README.md", entries);
        using (var settings = new StreamReader(package.GetEntry("tools/net8.0/any/DotnetToolSettings.xml")!.Open()))
        {
            Assert.Contains("<Command Name=\"jira-connections\" EntryPoint=\"jira-connections.dll\"", settings.ReadToEnd(), StringComparison.Ordinal);
        }

        using var runtimeConfig = new StreamReader(package.GetEntry("tools/net8.0/any/jira-connections.runtimeconfig.json")!.Open());
        using JsonDocument config = JsonDocument.Parse(runtimeConfig.ReadToEnd());
        Assert.Equal("Major", config.RootElement.GetProperty("runtimeOptions").GetProperty("rollForward").GetString());

        // This machine has only .NET 10: the tool, built for .NET 8, runs on it.
        ToolResult version = tool.Run(_repository, "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith(Feed.Instance.Version, version.StandardOutput, StringComparison.Ordinal);
    }

    private void Write(string relativePath, string content)
    {
        string path = Path.Combine(_repository, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
