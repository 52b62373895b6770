using System.Diagnostics;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// Production store on StackExchange.Redis, async API only, one server command per operation (GETDEL, SET NX/XX
/// with PX, MGET), and one small script for the shared rate limits' window counter. The client's own timeout does
/// not observe the caller's token, so every call is bounded here by <see cref="EphemeralStoreOptions.OperationTimeout"/>
/// and the caller's token, and every Redis failure surfaces as <see cref="EphemeralStoreUnavailableException"/>.
/// </summary>
internal sealed class RedisEphemeralStore : IEphemeralStore, IAsyncDisposable
{
    private static readonly TimeSpan ConnectPollInterval = TimeSpan.FromMilliseconds(20);

    // The expiry is set only when the key has none, so counting never extends a window: it ends a fixed time after
    // its first count, however many attempts follow.
    private const string CountInWindowScript = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          ttl = tonumber(ARGV[2])
        end
        return {count, ttl}
        """;

    private readonly EphemeralStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisConnectionSource _connection;
    private readonly EphemeralStoreRoundTrips? _roundTrips;
    private readonly GatewayMetrics? _metrics;
    private readonly OutageLog _outage;

    public RedisEphemeralStore(
        IOptions<EphemeralStoreOptions> options, TimeProvider timeProvider, ILogger<RedisEphemeralStore> logger, EphemeralStoreRoundTrips? roundTrips = null,
        GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _roundTrips = roundTrips;
        _connection = new RedisConnectionSource(_options, logger);
        _outage = new OutageLog(logger, static () => "The ephemeral store (Redis)", timeProvider);
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
        return RunAsync("Publish", async (c, token) =>
            await c.GetSubscriber().PublishAsync(await ChannelAsync(c, channel, token), message), cancellationToken);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, Task> handler, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(channel, nameof(channel));
        EphemeralStoreArguments.Handler(handler);
        var redisChannel = default(RedisChannel);
        var dispatcher = new SubscriptionDispatcher(channel, handler, _logger);
        Action<RedisChannel, RedisValue> onMessage = (_, message) => dispatcher.Post(message!);
        ISubscriber? subscriber = null;
        try
        {
            await RunAsync("Subscribe", async (c, token) =>
            {
                redisChannel = await ChannelAsync(c, channel, token);
                subscriber = c.GetSubscriber();
                await subscriber.SubscribeAsync(redisChannel, onMessage);

                // While its connection is down (or still opening), the client may complete a subscribe without
                // error and send it only on reconnect. Wait for that within the operation's time: the caller must never
                // believe it is listening when it is not.
                while (!subscriber.IsConnected(redisChannel))
                {
                    await Task.Delay(ConnectPollInterval, _timeProvider, token);
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

    /// <summary>
    /// Adds <paramref name="amount"/> (0 reads) to the counter of a fixed window that starts at its first count and
    /// lasts <paramref name="window"/>; returns the count and the time until the window ends. One key, one script,
    /// so it is atomic on a single node and on a cluster alike, and every instance counts into the same window.
    /// </summary>
    public async Task<(long Count, TimeSpan ResetsIn)> CountInWindowAsync(string key, long amount, TimeSpan window, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        EphemeralStoreArguments.Ttl(window);
        var result = await RunAsync("CountInWindow", c => c.GetDatabase().ScriptEvaluateAsync(
            CountInWindowScript, [Key(key)], [amount, (long)window.TotalMilliseconds]), cancellationToken);
        var values = (RedisValue[])result!;
        return ((long)values[0], TimeSpan.FromMilliseconds(Math.Max(0, (long)values[1])));
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

    /// <summary>
    /// On a Redis Cluster a sharded channel (SPUBLISH/SSUBSCRIBE, Redis 7): a message goes to the one shard that owns
    /// the channel's slot instead of being broadcast over the cluster bus to every node. Elsewhere a classic literal
    /// channel ('*' in a logical name must not make it a pattern), which also serves Redis before 7.
    /// </summary>
    private async Task<RedisChannel> ChannelAsync(ConnectionMultiplexer connection, string channel, CancellationToken cancellationToken)
    {
        bool? sharded;
        while ((sharded = _connection.UsesShardedChannels(connection)) is null)
        {
            await Task.Delay(ConnectPollInterval, _timeProvider, cancellationToken);
        }

        var name = _options.KeyPrefix + channel;
        return sharded.Value ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
    }

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
        var started = _timeProvider.GetTimestamp();
        using var activity = StartActivity(operation);
        Task<T>? pending = null;
        try
        {
            pending = call(connecting.Result);
            var result = await pending.WaitAsync(_options.OperationTimeout, _timeProvider, cancellationToken);
            _metrics?.RedisOperation(operation, failed: false, _timeProvider.GetElapsedTime(started));
            _outage.Answered();
            return result;
        }
        catch (TimeoutException) when (pending is { IsCompleted: false })
        {
            Observe(pending);
            throw Unavailable(operation, $"no answer within {_options.OperationTimeout.TotalMilliseconds:0} ms", started);
        }
        catch (OperationCanceledException)
        {
            Observe(pending);
            throw;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw Unavailable(operation, exception.GetType().Name, started, exception);
        }
    }

    /// <summary>Bounds the call (which may observe the token) by the operation timeout and the caller's token, and translates Redis failures.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<ConnectionMultiplexer, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = _timeProvider.GetTimestamp();
        using var activity = StartActivity(operation);
        using var timeout = new CancellationTokenSource(_options.OperationTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Task<T>? pending = null;
        try
        {
            var connection = await _connection.GetAsync().WaitAsync(linked.Token);
            _roundTrips?.Record();
            pending = call(connection, linked.Token);
            var result = await pending.WaitAsync(linked.Token);
            _metrics?.RedisOperation(operation, failed: false, _timeProvider.GetElapsedTime(started));
            _outage.Answered();
            return result;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Observe(pending);
            throw Unavailable(operation, $"no answer within {_options.OperationTimeout.TotalMilliseconds:0} ms", started);
        }
        catch (OperationCanceledException)
        {
            Observe(pending);
            throw;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            throw Unavailable(operation, exception.GetType().Name, started, exception);
        }
    }

    /// <summary>A span only while someone listens to the <c>Gateway</c> source; its name is built only then.</summary>
    private static Activity? StartActivity(string operation)
    {
        var activity = GatewayTelemetry.Source.StartActivity("redis", ActivityKind.Client);
        if (activity is not null)
        {
            activity.DisplayName = "redis " + operation;
            activity.SetTag("db.system", "redis");
            activity.SetTag("db.operation", operation);
        }

        return activity;
    }

    /// <summary>Logs (once per outage, <see cref="OutageLog"/>) and measures the failure, and makes the one exception callers see.</summary>
    private EphemeralStoreUnavailableException Unavailable(string operation, string failure, long started, Exception? exception = null)
    {
        _metrics?.RedisOperation(operation, failed: true, _timeProvider.GetElapsedTime(started));
        if (_outage.Failed($"{operation}: {failure}"))
        {
            EphemeralStoreLog.OutageStarted(_logger, operation, failure);
        }
        else
        {
            EphemeralStoreLog.OperationFailed(_logger, operation, failure);
        }

        return new EphemeralStoreUnavailableException($"The ephemeral store could not complete {operation}: {failure}.", exception);
    }

    /// <summary>A call we stopped waiting for may still fault later; observe it so it is not reported as unobserved.</summary>
    private static void Observe(Task? abandoned) =>
        abandoned?.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
