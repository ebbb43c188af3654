using JiraConfigGen.Emulator;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>The shared scenarios' emulator, here in this process.</summary>
internal static class TestEmulator
{
    public static async Task<IEmulatorControl> StartAsync() => new InProcess(await JiraEmulator.StartAsync());

    private sealed class InProcess(JiraEmulator emulator) : IEmulatorControl
    {
        public string InstanceUrl => emulator.InstanceUrl;

        public Task AddAccountAsync(string username, string token) => Do(() => emulator.AddAccount(username, token));

        public Task AddTokenAsync(string username, string token) => Do(() => emulator.AddToken(username, token));

        public Task RevokeTokenAsync(string username, string token) => Do(() => emulator.RevokeToken(username, token));

        public Task SetResponseDelayAsync(TimeSpan delay) => Do(() => emulator.ResponseDelay = delay);

        public Task ThrottleAsync(int count, TimeSpan retryAfter) => Do(() => emulator.Throttle(count, retryAfter));

        public Task DropConnectionsAsync(int count) => Do(() => emulator.DropConnections(count));

        public Task<EmulatorAccount> GetAccountAsync(string username)
        {
            JiraEmulatorAccount account = emulator.GetAccount(username);
            return Task.FromResult(new EmulatorAccount(account.FailedAttempts, account.IsLocked, account.Successes));
        }

        public ValueTask DisposeAsync() => emulator.DisposeAsync();

        private static Task Do(Action action)
        {
            action();
            return Task.CompletedTask;
        }
    }
}
