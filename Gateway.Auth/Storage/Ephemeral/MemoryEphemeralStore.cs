using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// The embedded default: state and pub/sub live in this process, so it serves exactly one gateway instance.
/// Each store owns its dictionary, which is why the key prefix has no work to do here.
/// Expiry is judged against <see cref="TimeProvider"/> on every read; expired entries are also swept on writes
/// at most once per <see cref="PurgeInterval"/>, so keys nobody reads again do not accumulate.
/// </summary>
internal sealed class MemoryEphemeralStore(TimeProvider timeProvider, ILogger<MemoryEphemeralStore> logger) : IEphemeralStore
{
    internal static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _subscribersGate = new();
    private readonly Dictionary<string, SubscriptionDispatcher[]> _subscribers = new(StringComparer.Ordinal);
    private long _nextPurge = timeProvider.GetTimestamp() + ToTimestampTicks(PurgeInterval, timeProvider);
    private int _purging;

    /// <summary>Entries held, expired or not: lets tests see that purging bounds memory.</summary>
    internal int Count => _entries.Count;

    public Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, ttl, cancellationToken);
        var now = timeProvider.GetTimestamp();
        _entries[key] = new Entry(value, Expiry(now, ttl));
        PurgeIfDue(now);
        return Task.CompletedTask;
    }

    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, ttl, cancellationToken);
        var now = timeProvider.GetTimestamp();
        var entry = new Entry(value, Expiry(now, ttl));
        PurgeIfDue(now);
        while (true)
        {
            if (_entries.TryAdd(key, entry))
            {
                return Task.FromResult(true);
            }

            if (_entries.TryGetValue(key, out var existing))
            {
                if (!existing.IsExpired(now))
                {
                    return Task.FromResult(false);
                }

                // Compare-and-swap on the expired entry: among racing callers only one replaces it.
                if (_entries.TryUpdate(key, entry, existing))
                {
                    return Task.FromResult(true);
                }
            }
        }
    }

    public Task<bool> SetIfPresentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, ttl, cancellationToken);
        var now = timeProvider.GetTimestamp();
        var entry = new Entry(value, Expiry(now, ttl));
        while (_entries.TryGetValue(key, out var existing) && !existing.IsExpired(now))
        {
            // Compare-and-swap: a delete or overwrite that wins the race is never undone by this call.
            if (_entries.TryUpdate(key, entry, existing))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Keys(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var values = new string?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            values[i] = Read(keys[i]);
        }

        return Task.FromResult<IReadOnlyList<string?>>(values);
    }

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Read(key));
    }

    private string? Read(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.IsExpired(timeProvider.GetTimestamp()))
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }

        return entry.Value;
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_entries.TryRemove(key, out var entry) && !entry.IsExpired(timeProvider.GetTimestamp()));
    }

    public Task<string?> TakeAsync(string key, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(key);
        cancellationToken.ThrowIfCancellationRequested();

        // TryRemove hands a given entry to exactly one caller, which is the whole of take-once.
        if (_entries.TryRemove(key, out var entry) && !entry.IsExpired(timeProvider.GetTimestamp()))
        {
            return Task.FromResult<string?>(entry.Value);
        }

        return Task.FromResult<string?>(null);
    }

    public Task PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(channel, nameof(channel));
        EphemeralStoreArguments.Value(message, nameof(message));
        cancellationToken.ThrowIfCancellationRequested();
        SubscriptionDispatcher[]? subscribers;
        lock (_subscribersGate)
        {
            _subscribers.TryGetValue(channel, out subscribers);
        }

        foreach (var subscriber in subscribers ?? [])
        {
            subscriber.Post(message);
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, Task> handler, CancellationToken cancellationToken = default)
    {
        EphemeralStoreArguments.Key(channel, nameof(channel));
        EphemeralStoreArguments.Handler(handler);
        cancellationToken.ThrowIfCancellationRequested();
        var dispatcher = new SubscriptionDispatcher(channel, handler, logger);
        lock (_subscribersGate)
        {
            _subscribers[channel] = _subscribers.TryGetValue(channel, out var existing) ? [.. existing, dispatcher] : [dispatcher];
        }

        return Task.FromResult<IAsyncDisposable>(new EphemeralSubscription(dispatcher, () =>
        {
            Unsubscribe(channel, dispatcher);
            return Task.CompletedTask;
        }));
    }

    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    private static void ValidateWrite(string key, string value, TimeSpan ttl, CancellationToken cancellationToken)
    {
        EphemeralStoreArguments.Key(key);
        EphemeralStoreArguments.Value(value);
        EphemeralStoreArguments.Ttl(ttl);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static long ToTimestampTicks(TimeSpan span, TimeProvider provider) =>
        (long)Math.Min(span.TotalSeconds * provider.TimestampFrequency, long.MaxValue / 4);

    private long Expiry(long now, TimeSpan ttl) => now + ToTimestampTicks(ttl, timeProvider);

    private void Unsubscribe(string channel, SubscriptionDispatcher dispatcher)
    {
        lock (_subscribersGate)
        {
            if (!_subscribers.TryGetValue(channel, out var existing))
            {
                return;
            }

            var remaining = Array.FindAll(existing, d => d != dispatcher);
            if (remaining.Length == 0)
            {
                _subscribers.Remove(channel);
            }
            else
            {
                _subscribers[channel] = remaining;
            }
        }
    }

    private void PurgeIfDue(long now)
    {
        if (now < Interlocked.Read(ref _nextPurge) || Interlocked.Exchange(ref _purging, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var pair in _entries)
            {
                if (pair.Value.IsExpired(now))
                {
                    // Removes only this expired entry, never a fresh one written since under the same key.
                    _entries.TryRemove(pair);
                }
            }

            Interlocked.Exchange(ref _nextPurge, now + ToTimestampTicks(PurgeInterval, timeProvider));
        }
        finally
        {
            Volatile.Write(ref _purging, 0);
        }
    }

    /// <summary>A class, not a record: the compare-and-swap calls above must compare identity, not contents.</summary>
    private sealed class Entry(string value, long expiresAt)
    {
        public string Value => value;

        public bool IsExpired(long now) => now >= expiresAt;
    }
}
