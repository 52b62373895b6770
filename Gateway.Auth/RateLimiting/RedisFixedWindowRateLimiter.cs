using System.Threading.RateLimiting;
using Gateway.Auth.Storage.Ephemeral;

namespace Gateway.Auth.RateLimiting;

/// <summary>
/// A fixed window counted in Redis (<see cref="RedisEphemeralStore.CountInWindowAsync"/>): one round trip per
/// acquisition, none queued. Only the asynchronous acquisition exists, since counting needs Redis; a failure of the
/// store surfaces as <see cref="EphemeralStoreUnavailableException"/>, so each caller decides how to fail closed.
/// Acquiring zero permits reads the window without counting: a probe.
/// </summary>
internal sealed class RedisFixedWindowRateLimiter(RedisEphemeralStore store, string keyPrefix, int permits, TimeSpan window)
    : PartitionedRateLimiter<string>
{
    public override RateLimiterStatistics? GetStatistics(string resource) => null;

    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount) =>
        throw new NotSupportedException("A limit counted in Redis is acquired with AcquireAsync.");

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken)
    {
        var (count, resetsIn) = await store.CountInWindowAsync(keyPrefix + resource, permitCount, window, cancellationToken);
        var acquired = permitCount == 0 ? count < permits : count <= permits;
        return acquired ? WindowLease.Acquired : new WindowLease(false, resetsIn);
    }

    private sealed class WindowLease(bool acquired, TimeSpan retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Acquired = new(true, TimeSpan.Zero);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (!acquired && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
