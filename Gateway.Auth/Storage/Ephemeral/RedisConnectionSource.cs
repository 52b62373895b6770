using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// The one shared <see cref="ConnectionMultiplexer"/>, opened on first use. AbortOnConnectFail is off, so the
/// gateway starts while Redis is down and the multiplexer keeps reconnecting by itself; only a connect attempt
/// that faults outright is started afresh on the next call.
/// </summary>
internal sealed class RedisConnectionSource(EphemeralStoreOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration = CreateConfiguration(options);
    private const int ClassicChannels = 1;
    private const int ShardedChannels = 2;

    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;

    // 0 while no server has answered yet, then Classic or Sharded for the life of the process.
    private int _channelKind;

    /// <summary>
    /// Whether channels are sharded: when the servers form a cluster and support sharded pub/sub. Decided once, from
    /// the first connected server, so every channel of this process uses one kind. Null while no server is connected:
    /// the caller waits, since guessing wrong would put publisher and subscribers on different kinds of channel.
    /// </summary>
    public bool? UsesShardedChannels(ConnectionMultiplexer multiplexer)
    {
        var kind = Volatile.Read(ref _channelKind);
        if (kind != 0)
        {
            return kind == ShardedChannels;
        }

        foreach (var server in multiplexer.GetServers())
        {
            if (server.IsConnected)
            {
                var sharded = server.ServerType == ServerType.Cluster && server.Features.ShardedPubSub;
                Volatile.Write(ref _channelKind, sharded ? ShardedChannels : ClassicChannels);
                return sharded;
            }
        }

        return null;
    }

    public Task<ConnectionMultiplexer> GetAsync()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync();
            }

            return _connecting;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is null)
        {
            return;
        }

        try
        {
            var multiplexer = await connecting;
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Shutting down while Redis is unreachable: there is nothing left to close cleanly.
        }
    }

    private static ConfigurationOptions CreateConfiguration(EphemeralStoreOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis
            ?? throw new InvalidOperationException($"{EphemeralStoreOptions.SectionName}:Redis is required when {EphemeralStoreOptions.SectionName}:Provider is Redis."));
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;

        // Otherwise command arguments (our keys: session ids) end up in exception messages, and from there in logs.
        configuration.IncludeDetailInExceptions = false;
        return configuration;
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration.Clone());
        multiplexer.ConnectionFailed += (_, e) =>
            EphemeralStoreLog.ConnectionFailed(logger, e.EndPoint?.ToString(), e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, e) =>
            EphemeralStoreLog.ConnectionRestored(logger, e.EndPoint?.ToString());
        return multiplexer;
    }
}
