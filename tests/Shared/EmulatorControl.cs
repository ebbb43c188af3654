namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>What the Jira emulator counted for one account.</summary>
public sealed record EmulatorAccount(int FailedAttempts, bool IsLocked, int Successes);

/// <summary>
/// The Jira emulator as the shared scenarios drive it: in this process (JiraConfigGen.Tests), or in a process of
/// its own where the test process must not load ASP.NET Core's copy of Microsoft.Extensions.Http
/// (JiraConfigGen.Http8.Tests).
/// </summary>
public interface IEmulatorControl : IAsyncDisposable
{
    /// <summary>The instance as a connections file writes it, e.g. <c>127.0.0.1:41234</c>.</summary>
    string InstanceUrl { get; }

    Task AddAccountAsync(string username, string token);

    Task AddTokenAsync(string username, string token);

    Task RevokeTokenAsync(string username, string token);

    Task SetResponseDelayAsync(TimeSpan delay);

    Task ThrottleAsync(int count, TimeSpan retryAfter);

    Task DropConnectionsAsync(int count);

    Task<EmulatorAccount> GetAccountAsync(string username);
}
