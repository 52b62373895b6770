namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>Argument checks shared by the implementations, so both reject the same calls the same way.</summary>
internal static class EphemeralStoreArguments
{
    public static void Key(string key, string parameterName = "key") =>
        ArgumentException.ThrowIfNullOrEmpty(key, parameterName);

    public static void Keys(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one key is required.", nameof(keys));
        }

        foreach (var key in keys)
        {
            Key(key, nameof(keys));
        }
    }

    public static void Value(string value, string parameterName = "value") =>
        ArgumentNullException.ThrowIfNull(value, parameterName);

    /// <summary>Redis expiries have millisecond resolution; anything shorter would be rejected or mean "never".</summary>
    public static void Ttl(TimeSpan ttl)
    {
        if (ttl < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "The time to live must be at least one millisecond.");
        }
    }

    public static void Handler(Func<string, Task> handler) => ArgumentNullException.ThrowIfNull(handler);
}
