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

        // Checked by every implementation, so a read that would fail with CROSSSLOT on a Redis Cluster fails the
        // same way in process memory and on a single Redis, where the tests see it.
        var slot = HashSlotPart(keys[0]);
        for (var i = 1; i < keys.Count; i++)
        {
            if (!HashSlotPart(keys[i]).SequenceEqual(slot))
            {
                throw new ArgumentException("Keys read together must share one hash tag ('{...}'), so they stay in one Redis Cluster slot.", nameof(keys));
            }
        }
    }

    /// <summary>What Redis Cluster hashes: the text between the first '{' and the next '}' when non-empty, else the whole key.</summary>
    public static ReadOnlySpan<char> HashSlotPart(string key)
    {
        var open = key.IndexOf('{');
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                return key.AsSpan(open + 1, close - open - 1);
            }
        }

        return key;
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
