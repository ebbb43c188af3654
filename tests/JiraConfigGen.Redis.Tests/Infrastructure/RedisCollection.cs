using JiraConfigGen.Tests.Infrastructure;

namespace JiraConfigGen.Redis.Tests.Infrastructure;

/// <summary>
/// The tests that start processes and servers run one at a time (on a 2-core CI machine, parallel fleets
/// would mostly measure the scheduler), sharing one Redis: the one <c>.ci/run</c> started, or one of their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisCollection : ICollectionFixture<SharedRedis>
{
    public const string Name = "Redis";
}

/// <summary>The Redis of the collection, started on first use (after the test has checked there is one).</summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RedisServer? _server;

    public async Task<RedisServer> GetAsync()
    {
        RedisServer.Require(needsBinary: false);
        await _gate.WaitAsync();
        try
        {
            return _server ??= await RedisServer.SharedOrStartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
