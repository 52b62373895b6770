namespace Gateway.Tests.Infrastructure;

/// <summary>
/// One <typeparamref name="T"/> (a gateway, a testbed) per Redis deployment, started on first use and shared from
/// then on: a fixture whose representative theories run over <see cref="TestServers.RedisTopologies"/> starts the
/// Cluster's and Sentinel's only when a test asks for them.
/// </summary>
public sealed class PerRedisTopology<T>(Func<RedisTopology, Task<T>> start) : IAsyncDisposable
    where T : IAsyncDisposable
{
    private readonly Dictionary<RedisTopology, Task<T>> _started = [];

    public Task<T> OnAsync(RedisTopology topology)
    {
        lock (_started)
        {
            if (!_started.TryGetValue(topology, out var started))
            {
                _started[topology] = started = start(topology);
            }

            return started;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var started in _started.Values)
        {
            await (await started).DisposeAsync();
        }
    }
}
