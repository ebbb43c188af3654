// The JiraConfigGen sample. Its default run needs no Jira and no secrets: it starts an embedded Jira
// emulator, then shows a connection check, a stale token stopped by the lockout guard before Jira can
// lock the account, and recovery after the token is rotated, without a restart.
using System.Security.Cryptography;
using Contoso.Sync;
using JiraConfigGen;
using JiraConfigGen.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

Console.WriteLine("Connections declared in jira-connections.json (typed accessors made by the generator):");
foreach (JiraConnection declared in JiraConnections.All)
{
    Console.WriteLine($"  {declared.Nickname,-12} {declared.Auth,-6} {declared.BaseAddress,-42} token from {declared.ApiToken}");
}

await using JiraEmulator jira = await JiraEmulator.StartAsync();
jira.ResponseDelay = TimeSpan.FromMilliseconds(2);
string token = NewToken();
jira.AddAccount("sync-bot@contoso.test", token, "Sync Bot");

// The emulator listens on a free port: point the declared connection at it. Its token lives in
// configuration (here in memory; in production environment variables, user secrets or Key Vault).
JiraConnection sync = JiraConnections.Sync.WithInstanceUrl(jira.InstanceUrl);
IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Jira:Sync:ApiToken", token)]).Build();
ServiceProvider services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration)
    .AddJiraConnections([sync]).Services
    .BuildServiceProvider();
HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateJiraClient(sync);
Console.WriteLine();
Console.WriteLine($"Embedded Jira emulator at {jira.BaseAddress} (it locks an account after 4 failed logins).");

JiraConnectionCheckResult check = await services.GetRequiredService<JiraConnectionChecker>().CheckAsync(sync);
Console.WriteLine($"1. Connection check: {check}");

jira.RevokeToken("sync-bot@contoso.test", token);
Console.WriteLine("2. The token is revoked in Jira, but the job still sends it: 200 calls at once.");
Outcome stale = await StormAsync(client, 200);
Console.WriteLine($"   {stale.Rejected} of them reached Jira and {(stale.Rejected == 1 ? "was" : "were")} rejected; {stale.Prevented} were stopped by the guard before Jira saw them.");
Console.WriteLine($"   Jira counted {jira.GetAccount("sync-bot@contoso.test").FailedAttempts} failed login(s); account locked: {(jira.GetAccount("sync-bot@contoso.test").IsLocked ? "YES" : "no")}.");
Console.WriteLine($"   The guard says how to fix it: {stale.Fix}");

string rotated = NewToken();
jira.AddToken("sync-bot@contoso.test", rotated);
configuration["Jira:Sync:ApiToken"] = rotated;
Outcome healed = await StormAsync(client, 200);
Console.WriteLine($"3. The token is rotated in configuration, no restart: {healed.Succeeded} of 200 calls succeeded; Jira still counts {jira.GetAccount("sync-bot@contoso.test").FailedAttempts} failed login(s).");

return check.Succeeded && healed.Succeeded == 200 && !jira.GetAccount("sync-bot@contoso.test").IsLocked ? 0 : 1;

static async Task<Outcome> StormAsync(HttpClient client, int calls)
{
    var results = await Task.WhenAll(Enumerable.Range(0, calls).Select(async _ =>
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync("rest/api/3/myself");
            return (Ok: response.IsSuccessStatusCode, Error: (Exception?)null);
        }
        catch (HttpRequestException e)
        {
            return (Ok: false, Error: e);
        }
    }));
    return new Outcome(
        results.Count(r => r.Ok),
        results.Count(r => r.Error is JiraAuthenticationException),
        results.Count(r => r.Error is JiraLockoutPreventedException),
        results.Select(r => r.Error).OfType<JiraLockoutPreventedException>().FirstOrDefault()?.Fix);
}

static string NewToken() => "ATATT3xFf" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

internal sealed record Outcome(int Succeeded, int Rejected, int Prevented, string? Fix);
