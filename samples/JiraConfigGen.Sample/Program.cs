using Contoso.Sync;
using JiraConfigGen;

Console.WriteLine($"{JiraConnections.All.Count} Jira connections declared in jira-connections.json:");
foreach (JiraConnection connection in JiraConnections.All)
{
    Console.WriteLine($"  {connection.Nickname,-12} {connection.Auth,-6} {connection.BaseAddress,-45} token from {connection.ApiToken}");
}

JiraConnection production = JiraConnections.Production;
Console.WriteLine($"Production is {production} (events: {production.Events}, webhooks: {production.Webhooks}).");
Console.WriteLine($"Lookup by nickname: \"build bot\" -> {JiraConnections.Get("build bot").Nickname}");
