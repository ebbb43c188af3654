using JiraConfigGen.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JiraConfigGen.Tests;

/// <summary>AddJiraConnections in a real container, and the connection check, against the emulator.</summary>
public class HostingTests
{
    private const string CloudUser = "automation@contoso.test";
    private const string DataCenterUser = "svc-build";

    [Fact]
    public async Task HostResolvesANamedClientPerConnectionThatCarriesTheRightHeader()
    {
        await using JiraEmulator emulator = await JiraEmulator.StartAsync();
        emulator.AddAccount(CloudUser, "basic-token-1");
        emulator.AddAccount(DataCenterUser, "pat-token-1");
        var basic = new JiraConnection("Cloud", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Cloud:ApiToken"));
        var bearer = new JiraConnection("Build", null, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Build:ApiToken"), JiraAuthKind.Bearer);
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Jira:Cloud:ApiToken", "basic-token-1"), new("Jira:Build:ApiToken", "pat-token-1")])
            .Build();

        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        IJiraConnectionsBuilder builder = services.AddJiraConnections([basic, bearer], o => o.MaxFailedAttempts = 2);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        Assert.Equal(["Cloud", "Build"], builder.Connections.Select(c => c.Nickname));
        HttpClient cloudClient = factory.CreateJiraClient(basic);
        HttpClient buildClient = factory.CreateJiraClient(bearer);
        Assert.Equal(emulator.BaseAddress, cloudClient.BaseAddress);
        using (HttpResponseMessage response = await cloudClient.GetAsync("rest/api/3/myself"))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        using (HttpResponseMessage response = await buildClient.GetAsync("rest/api/2/myself"))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        Assert.Equal(
            [new JiraEmulatorRequest("/rest/api/3/myself", "Basic", CloudUser, 200), new JiraEmulatorRequest("/rest/api/2/myself", "Bearer", DataCenterUser, 200)],
            emulator.Requests);
        Assert.Equal(2, provider.GetRequiredService<JiraLockoutGuard>().Options.MaxFailedAttempts);
        Assert.Same(provider.GetRequiredService<JiraLockoutGuard>(), provider.GetRequiredService<JiraLockoutGuard>());
    }

    [Fact]
    public void DuplicateNicknamesAreRejectedAtRegistration()
    {
        var a = new JiraConnection("Prod", "a@b.c", "contoso.atlassian.net", JiraSecretReference.Environment("A"));
        var b = new JiraConnection("prod", "a@b.c", "contoso.atlassian.net", JiraSecretReference.Environment("B"));

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddJiraConnections([a, b]));
    }

    [Fact]
    public async Task InvalidGuardOptionsAreReportedNotIgnored()
    {
        var services = new ServiceCollection().AddJiraConnections([new JiraConnection("P", "a@b.c", "contoso.atlassian.net", JiraSecretReference.Environment("A"))], o => o.MaxFailedAttempts = 0).Services;
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => provider.GetRequiredService<JiraLockoutGuard>());
        Assert.Contains("MaxFailedAttempts must be from 1 to 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckReportsWhoTheConnectionIsAndTheAdministerPermission()
    {
        await using JiraEmulator emulator = await JiraEmulator.StartAsync(new JiraEmulatorOptions { ContextPath = "/jira" });
        emulator.AddAccount(CloudUser, "t-admin", "Automation Bot", isAdministrator: true);
        emulator.AddAccount(DataCenterUser, "t-plain", "Build Service");
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Jira:Admin", "t-admin"), new("Jira:Plain", "t-plain"), new("Jira:Wrong", "t-wrong")])
            .Build();
        using var factory = new JiraClientFactory(new JiraSecretResolver(configuration));
        var checker = new JiraConnectionChecker(factory.CreateClient);

        JiraConnectionCheckResult admin = await checker.CheckAsync(new JiraConnection("Events", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Admin"), events: true));
        Assert.True(admin.Succeeded, admin.Problem);
        Assert.Equal("Automation Bot", admin.DisplayName);
        Assert.True(admin.CanAdministerJira);
        Assert.Equal($"Events: OK, signs in as Automation Bot <{CloudUser}>, with Administer Jira", admin.ToString());

        JiraConnectionCheckResult plain = await checker.CheckAsync(new JiraConnection("Build", null, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Plain"), JiraAuthKind.Bearer));
        Assert.True(plain.Succeeded, plain.Problem);
        Assert.Equal(DataCenterUser, plain.Username);
        Assert.Null(plain.CanAdministerJira);
        Assert.Equal("/rest/api/2/myself", emulator.Requests.Last().Path);

        JiraConnectionCheckResult noAdmin = await checker.CheckAsync(new JiraConnection("Hooks", DataCenterUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Plain"), events: true));
        Assert.False(noAdmin.Succeeded);
        Assert.False(noAdmin.CanAdministerJira);
        Assert.Contains("lacks the 'Administer Jira' global permission", noAdmin.Problem, StringComparison.Ordinal);

        JiraConnectionCheckResult wrong = await checker.CheckAsync(new JiraConnection("Stale", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Wrong")));
        Assert.False(wrong.Succeeded);
        Assert.Contains("Jira rejected the token (config:Jira:Wrong)", wrong.Problem, StringComparison.Ordinal);

        JiraConnectionCheckResult missing = await checker.CheckAsync(new JiraConnection("Missing", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Nowhere")));
        Assert.False(missing.Succeeded);
        Assert.Contains("is not set", missing.Problem, StringComparison.Ordinal);

        JiraConnectionCheckResult badPath = await checker.CheckAsync(new JiraConnection("Path", CloudUser, emulator.InstanceUrl.Replace("/jira", "/jra", StringComparison.Ordinal), JiraSecretReference.Configuration("Jira:Admin")));
        Assert.False(badPath.Succeeded);
        Assert.Contains("was not found (404); check instanceUrl and its context path", badPath.Problem, StringComparison.Ordinal);
        Assert.Equal(1, emulator.GetAccount(CloudUser).FailedAttempts);
    }

    [Fact]
    public async Task CheckReportsAnUnreachableInstance()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:T", "t")]).Build();
        using var factory = new JiraClientFactory(new JiraSecretResolver(configuration));
        JiraConnectionCheckResult result = await new JiraConnectionChecker(factory.CreateClient)
            .CheckAsync(new JiraConnection("Down", CloudUser, $"127.0.0.1:{port}", JiraSecretReference.Configuration("Jira:T")));

        Assert.False(result.Succeeded);
        Assert.Contains($"http://127.0.0.1:{port}/ could not be reached", result.Problem, StringComparison.Ordinal);
    }
}
