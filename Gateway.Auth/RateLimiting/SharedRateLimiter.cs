using System.Threading.RateLimiting;
using Gateway.Auth.Storage.Ephemeral;

namespace Gateway.Auth.RateLimiting;

/// <summary>
/// Fixed-window limits keyed by a string (an address, an openid). With the Redis store the count lives in Redis, so
/// every gateway instance draws on one window and N instances still allow the documented number, not N times it.
/// With the Memory store (one instance by definition) it is System.Threading.RateLimiting's own in-process limiter.
/// </summary>
internal static class SharedRateLimiter
{
    /// <param name="name">Names the limit's keys in Redis: <c>ratelimit:{name}:{partition}</c>.</param>
    public static PartitionedRateLimiter<string> Create(IEphemeralStore store, string name, int permits, TimeSpan window) =>
        store is RedisEphemeralStore redis
            ? new RedisFixedWindowRateLimiter(redis, "ratelimit:" + name + ":", permits, window)
            : PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>Seconds a refused caller should wait, from the lease's metadata, at least 1.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease, TimeSpan window)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : window;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }
}
