namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>Bound from <c>Storage:Ephemeral</c>; validated at start-up by <see cref="EphemeralStoreOptionsValidator"/>.</summary>
public sealed class EphemeralStoreOptions
{
    public const string SectionName = "Storage:Ephemeral";

    public EphemeralStoreProvider Provider { get; set; } = EphemeralStoreProvider.Memory;

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=...</c>. Required for Redis.</summary>
    public string? Redis { get; set; }

    /// <summary>Prepended to every key and channel, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "gw:";

    /// <summary>Upper bound of every store call, connecting included.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of one attempt to open a Redis connection; reconnection keeps trying after it.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
