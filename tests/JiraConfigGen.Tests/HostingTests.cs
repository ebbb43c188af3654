using JiraConfigGen.Emulator;
using JiraConfigGen.Tests.Infrastructure;
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
    public async Task TheTokenIsAddedInsideEveryOtherHandlerEvenAPrimaryHandlerConfiguredLater()
    {
        await using JiraEmulator emulator = await JiraEmulator.StartAsync();
        emulator.AddAccount(CloudUser, "basic-token-1");
        var cloud = new JiraConnection("Cloud", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Cloud:ApiToken"));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:Cloud:ApiToken", "basic-token-1")]).Build();
        var outer = new HeaderSpy();
        var primary = new HeaderSpy { InnerHandler = new SocketsHttpHandler() };

        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddJiraConnections([cloud]);
        services.AddHttpClient(JiraHttp.ClientName(cloud))
            .AddHttpMessageHandler(() => outer)
            .ConfigurePrimaryHttpMessageHandler(() => primary);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateJiraClient(cloud);

        using HttpResponseMessage response = await client.GetAsync("rest/api/3/myself");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal([false], outer.SawAuthorization); // the application's handler, like the factory's logging, never sees it
        Assert.Equal([true], primary.SawAuthorization); // the primary handler configured after AddJiraConnections is wrapped
        Assert.Equal("Basic", response.RequestMessage!.Headers.Authorization?.ToString()); // and its credential is gone from the request once answered
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
    public async Task HealthCheckReportsTrippedAccountsWithTheFixAndCountedFailuresAsDegraded()
    {
        await using JiraEmulator emulator = await JiraEmulator.StartAsync();
        emulator.AddAccount(CloudUser, "good-token");
        var sync = new JiraConnection("Sync", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Sync:ApiToken"));
        var reports = new JiraConnection("Reports", CloudUser, emulator.InstanceUrl, JiraSecretReference.Configuration("Jira:Reports:ApiToken"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:Sync:ApiToken", "good-token"), new("Jira:Reports:ApiToken", "good-token")]).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddJiraConnections([sync, reports]);
        services.AddHealthChecks().AddJiraConnectionsHealthCheck(tags: ["ready"]);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateJiraClient(sync);

        using (HttpResponseMessage ok = await client.GetAsync("rest/api/3/myself"))
        {
            Assert.Equal(200, (int)ok.StatusCode);
        }

        var healthy = (await health.CheckHealthAsync()).Entries["jira-connections"];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, healthy.Status);

        // A stale token: one failure counted, the account still usable.
        configuration["Jira:Sync:ApiToken"] = "stale-1";
        await Assert.ThrowsAsync<JiraAuthenticationException>(() => client.GetAsync("rest/api/3/myself"));
        var degraded = (await health.CheckHealthAsync()).Entries["jira-connections"];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, degraded.Status);
        Assert.Contains("1 of 3 failed attempts allowed between successes spent", degraded.Description, StringComparison.Ordinal);

        // Two more stale tokens: the budget is spent, the guard trips, the check says why and what to do.
        foreach (string stale in new[] { "stale-2", "stale-3" })
        {
            configuration["Jira:Sync:ApiToken"] = stale;
            await Assert.ThrowsAsync<JiraAuthenticationException>(() => client.GetAsync("rest/api/3/myself"));
        }

        var report = await health.CheckHealthAsync();
        var tripped = report.Entries["jira-connections"];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, tripped.Status);
        Assert.Contains($"{CloudUser} at {emulator.InstanceUrl} (connections 'Sync', 'Reports')", tripped.Description, StringComparison.Ordinal);
        Assert.Contains("3 of 3 failed attempts", tripped.Description, StringComparison.Ordinal);
        Assert.Contains("put a valid token in config:Jira:Sync:ApiToken, config:Jira:Reports:ApiToken", tripped.Description, StringComparison.Ordinal);
        Assert.Contains("JiraLockoutGuard.ResetAsync", tripped.Description, StringComparison.Ordinal);
        Assert.Equal(["ready"], tripped.Tags);
        Assert.DoesNotContain("stale-", tripped.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("good-token", tripped.Description, StringComparison.Ordinal);
        Assert.Equal(3, emulator.GetAccount(CloudUser).FailedAttempts);

        // The operator signs in (Jira's count resets) and runs the reset the fix names: healthy again.
        await provider.GetRequiredService<JiraLockoutGuard>().ResetAsync(sync.Account);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["jira-connections"].Status);
    }

    [Fact]
    public async Task CheckReportsAnUnreachableInstance()
    {
        int port = JiraScenario.ClosedPort();

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:T", "t")]).Build();
        using var factory = new JiraClientFactory(new JiraSecretResolver(configuration));
        JiraConnectionCheckResult result = await new JiraConnectionChecker(factory.CreateClient)
            .CheckAsync(new JiraConnection("Down", CloudUser, $"127.0.0.1:{port}", JiraSecretReference.Configuration("Jira:T")));

        Assert.False(result.Succeeded);
        Assert.Contains($"http://127.0.0.1:{port}/ could not be reached", result.Problem, StringComparison.Ordinal);
    }

    /// <summary>Records whether each request it passes on carries an Authorization header.</summary>
    private sealed class HeaderSpy : DelegatingHandler
    {
        public List<bool> SawAuthorization { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            SawAuthorization.Add(request.Headers.Authorization is not null);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
