namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// Short-lived, shared state (OAuth state, one-time tickets, sessions, cached tokens) with a time to live.
/// Redis in production, process memory in the embedded default; every gateway instance sharing one store
/// behaves as one. Keys passed in are logical: implementations add the configured prefix.
/// Every call fails fast with <see cref="EphemeralStoreUnavailableException"/> when the store cannot answer
/// within its configured operation timeout.
/// </summary>
public interface IEphemeralStore
{
    Task SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Sets the key only when it does not exist. True when this call set it.</summary>
    Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Overwrites the value and its time to live only when the key exists. True when this call set it.</summary>
    Task<bool> SetIfPresentAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    Task<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Reads several keys in one round trip; the result has one entry per key, in order, null where absent.</summary>
    Task<IReadOnlyList<string?>> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default);

    /// <summary>True when the key existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Atomically gets and deletes: among concurrent callers on one key exactly one receives the value.</summary>
    Task<string?> TakeAsync(string key, CancellationToken cancellationToken = default);

    Task PublishAsync(string channel, string message, CancellationToken cancellationToken = default);

    /// <summary>Receives messages published on the channel by any instance until the result is disposed.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, Task> handler, CancellationToken cancellationToken = default);

    /// <summary>Round trip to the store; throws <see cref="EphemeralStoreUnavailableException"/> when it is unreachable.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
