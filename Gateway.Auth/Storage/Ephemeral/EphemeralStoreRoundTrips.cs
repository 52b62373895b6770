namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// Counts the commands the Redis store sends, so a test can hold the proxy path to its budget of at most one
/// round trip per request and none on a cache hit. One interlocked increment per command.
/// </summary>
internal sealed class EphemeralStoreRoundTrips
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Record() => Interlocked.Increment(ref _count);
}
