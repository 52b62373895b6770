using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// Production store on StackExchange.Redis, async API only, one server command per operation (GETDEL, SET NX/XX
/// with PX, MGET), so no Lua is needed. The client's own timeout does not observe the caller's token, so every
/// call is bounded here by <see cref="EphemeralStoreOptions.OperationTimeout"/> and the caller's token, and every
/// Redis failure surfaces as <see cref="EphemeralStoreUnavailableException"/>.
/// </summary>
internal sealed class RedisEphemeralStore : IEphemeralStore, IAsyncDisposable
{
    private static readonly TimeSpan SubscribePollInterval = TimeSpan.FromMilliseconds(20);

    private readonly EphemeralStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisConnectionSource _connection;
    private readonly EphemeralStoreRoundTrips? _roundTrips;

    public RedisEphemeralStore(
        IOptions<EphemeralStoreOptions> options, TimeProvider timeProvider, ILogger<RedisEphemeralStore> logger, EphemeralStoreRoundTrips? roundTrips = null)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _roundTrips = roundTrips;
        _connection = new RedisConnectionSource(_options, logger);
    }

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, ttl);
        return RunAsync("Set", c => c.GetDatabase().StringSetAsync(Key(key), value, ttl), cancellationToken);
    }

    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, ttl);
        return RunAsync("SetIfAbsent", c => c.GetDatabase().StringSetAsync(Key(key), value, ttl, When.NotExists), cancellationToken);
    }

    public Task<bool> SetIfPresentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, ttl);
        return RunAsync("SetIfPresent", c => c.GetDatabase().StringSetAsync(Key(key), value, ttl, When.Exists), cancellationToken);
    }

    public async Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Keys(keys);
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            redisKeys[i] = Key(keys[i]);
        }

        var values = await RunAsync("GetMany", c => c.GetDatabase().StringGetAsync(redisKeys), cancellationToken);
        return Array.ConvertAll(values, value => (string?)value);
    }

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        return await RunAsync("Get", c => c.GetDatabase().StringGetAsync(Key(key)), cancellationToken);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        return RunAsync("Delete", c => c.GetDatabase().KeyDeleteAsync(Key(key)), cancellationToken);
    }

    /// <summary>GETDEL is atomic on the server: among concurrent takers exactly one receives the value.</summary>
    public async Task<string?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        return await RunAsync("Take", c => c.GetDatabase().StringGetDeleteAsync(Key(key)), cancellationToken);
    }

    public Task PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(channel, nameof(channel));
        EphemeralStoreArguments.Value(message, nameof(message));
        return RunAsync("Publish", c => c.GetSubscriber().PublishAsync(Channel(channel), message), cancellationToken);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, Task> handler, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(channel, nameof(channel));
        EphemeralStoreArguments.Handler(handler);
        var redisChannel = Channel(channel);
        var dispatcher = new SubscriptionDispatcher(channel, handler, _logger);
        Action<RedisChannel, RedisValue> onMessage = (_, message) => dispatcher.Post(message!);
        ISubscriber? subscriber = null;
        try
        {
            await RunAsync("Subscribe", async (c, token) =>
            {
                subscriber = c.GetSubscriber();
                await subscriber.SubscribeAsync(redisChannel, onMessage);

                // While its connection is down (or still opening), the client may complete a subscribe without
                // error and send it only on reconnect. Wait for that within the operation's time: the caller must never
                // believe it is listening when it is not.
                while (!subscriber.IsConnected(redisChannel))
                {
                    await Task.Delay(SubscribePollInterval, _timeProvider, token);
                }

                return true;
            }, cancellationToken);
        }
        catch
        {
            dispatcher.Stop();

            // Removes the local handler at once; whatever the server still answers is dropped.
            Observe(subscriber?.UnsubscribeAsync(redisChannel, onMessage));
            throw;
        }

        return new EphemeralSubscription(dispatcher, () => UnsubscribeAsync(channel, redisChannel, onMessage));
    }

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        RunAsync("Ping", c => c.GetDatabase().PingAsync(), cancellationToken);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static void ValidateWrite(string key, string value, TimeSpan ttl)
    {
        EphemeralStoreArguments.Key(key);
        EphemeralStoreArguments.Value(value);
        EphemeralStoreArguments.Ttl(ttl);
    }

    private RedisKey Key(string key) => _options.KeyPrefix + key;

    // Literal: a '*' in a logical channel name must not turn the subscription into a pattern.
    private RedisChannel Channel(string channel) => new(_options.KeyPrefix + channel, RedisChannel.PatternMode.Literal);

    private async Task UnsubscribeAsync(string channel, RedisChannel redisChannel, Action<RedisChannel, RedisValue> onMessage)
    {
        try
        {
            // The dispatcher is already stopped (EphemeralSubscription), so a failure here cannot redeliver.
            await RunAsync("Unsubscribe", async c =>
            {
                await c.GetSubscriber().UnsubscribeAsync(redisChannel, onMessage);
                return true;
            }, CancellationToken.None);
        }
        catch (EphemeralStoreUnavailableException)
        {
            EphemeralStoreLog.UnsubscribeFailed(_logger, channel);
        }
        catch (ObjectDisposedException)
        {
            // The store was disposed first, and the connection with it.
        }
    }

    /// <summary>
    /// Bounds the call by the operation timeout and the caller's token, and translates Redis failures. Once connected,
    /// one timed wait covers both: this runs for every session check that misses the local cache, and two linked
    /// token sources with a timer each cost more than the Redis command.
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, Func<ConnectionMultiplexer, Task<T>> call, CancellationToken cancellationToken)
    {
        var connecting = _connection.GetAsync();
        if (!connecting.IsCompletedSuccessfully)
        {
            return await RunAsync(operation, (connection, _) => call(connection), cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _roundTrips?.Record();
        Task<T>? pending = null;
        try
        {
            pending = call(connecting.Result);
            return await pending.WaitAsync(_options.OperationTimeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException) when (pending is { IsCompleted: false })
        {
            Observe(pending);
            throw Unavailable(operation, $"no answer within {_options.OperationTimeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            Observe(pending);
            throw;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw Unavailable(operation, exception.GetType().Name, exception);
        }
    }

    /// <summary>Bounds the call (which may observe the token) by the operation timeout and the caller's token, and translates Redis failures.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<ConnectionMultiplexer, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var timeout = new CancellationTokenSource(_options.OperationTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<T>? pending = null;
        try
        {
            var connection = await _connection.GetAsync().WaitAsync(linked.Token);
            _roundTrips?.Record();
            pending = call(connection, linked.Token);
            return await pending.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Observe(pending);
            throw Unavailable(operation, $"no answer within {_options.OperationTimeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            Observe(pending);
            throw;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw Unavailable(operation, exception.GetType().Name, exception);
        }
    }

    private EphemeralStoreUnavailableException Unavailable(string operation, string failure, Exception? exception = null)
    {
        EphemeralStoreLog.OperationFailed(_logger, operation, failure);
        return new EphemeralStoreUnavailableException($"The ephemeral store could not complete {operation}: {failure}.", exception);
    }

    /// <summary>A call we stopped waiting for may still fault later; observe it so it is not reported as unobserved.</summary>
    private static void Observe(Task? abandoned) =>
        abandoned?.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
