using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Management;

/// <summary>
/// Counts wrong management keys per client address in fixed windows (<c>Management:FailedKeyLimit</c> per
/// <c>Management:FailedKeyWindow</c>), in process memory: each gateway instance counts on its own.
/// </summary>
internal sealed class ManagementKeyThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;

    public ManagementKeyThrottle(IOptions<ManagementOptions> options)
    {
        var limit = options.Value.FailedKeyLimit;
        _window = options.Value.FailedKeyWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = _window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Seconds to wait when this address used up its wrong keys; null when it may try.</summary>
    public int? BlockedFor(HttpContext context)
    {
        // Zero permits asked: a probe that uses nothing up.
        using var probe = _failures.AttemptAcquire(Address(context), permitCount: 0);
        if (probe.IsAcquired)
        {
            return null;
        }

        var wait = probe.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }

    public void RecordFailure(HttpContext context)
    {
        using var lease = _failures.AttemptAcquire(Address(context));
    }

    public void Dispose() => _failures.Dispose();

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
