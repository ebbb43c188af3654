using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace JiraConfigGen.Tests.Infrastructure;

/// <summary>The shared scenarios' emulator, in a process of its own (tests/JiraConfigGen.Emulator.Host).</summary>
internal static class TestEmulator
{
    public static async Task<IEmulatorControl> StartAsync()
    {
        string dll = typeof(TestEmulator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "EmulatorHostAssembly").Value!;
        (LineProcess process, string instanceUrl) = await LineProcess.StartAsync("the emulator", dll, [], "ready");
        return new Remote(process, instanceUrl);
    }

    private sealed class Remote(LineProcess process, string instanceUrl) : IEmulatorControl
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public string InstanceUrl => instanceUrl;

        public Task AddAccountAsync(string username, string token) => DoAsync($"account {username} {token}");

        public Task AddTokenAsync(string username, string token) => DoAsync($"token {username} {token}");

        public Task RevokeTokenAsync(string username, string token) => DoAsync($"revoke {username} {token}");

        public Task SetResponseDelayAsync(TimeSpan delay) => DoAsync(FormattableString.Invariant($"delay {(int)delay.TotalMilliseconds}"));

        public Task ThrottleAsync(int count, TimeSpan retryAfter) => DoAsync(FormattableString.Invariant($"throttle {count} {(int)retryAfter.TotalSeconds}"));

        public Task DropConnectionsAsync(int count) => DoAsync(string.Create(CultureInfo.InvariantCulture, $"drop {count}"));

        public async Task<EmulatorAccount> GetAccountAsync(string username)
        {
            string json = await AskAsync($"stats {username}", "stats");
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            return new EmulatorAccount(root.GetProperty("FailedAttempts").GetInt32(), root.GetProperty("IsLocked").GetBoolean(), root.GetProperty("Successes").GetInt32());
        }

        public async ValueTask DisposeAsync()
        {
            await process.DisposeAsync();
            _gate.Dispose();
        }

        private async Task DoAsync(string command) => await AskAsync(command, "ok");

        // One command at a time: replies come back in order.
        private async Task<string> AskAsync(string command, string kind)
        {
            await _gate.WaitAsync();
            try
            {
                return await process.AskAsync(command, kind);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
