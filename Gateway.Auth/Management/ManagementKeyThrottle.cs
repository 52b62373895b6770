using System.Threading.RateLimiting;
using Gateway.Auth.RateLimiting;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Management;

/// <summary>
/// Counts wrong management keys per client address in fixed windows (<c>Management:FailedKeyLimit</c> per
/// <c>Management:FailedKeyWindow</c>), shared by every instance through the store (<see cref="SharedRateLimiter"/>):
/// guessing against N instances gets no more tries than against one.
/// </summary>
/// <exception cref="EphemeralStoreUnavailableException">From both methods, when the store cannot count.</exception>
internal sealed class ManagementKeyThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;
    private readonly GatewayMetrics _metrics;

    public ManagementKeyThrottle(IOptions<ManagementOptions> options, IEphemeralStore store, GatewayMetrics metrics)
    {
        _metrics = metrics;
        _window = options.Value.FailedKeyWindow;
        _failures = SharedRateLimiter.Create(store, "management-key", options.Value.FailedKeyLimit, _window);
    }

    /// <summary>Seconds to wait when this address used up its wrong keys; null when it may try.</summary>
    public async ValueTask<int?> BlockedForAsync(HttpContext context)
    {
        // Zero permits asked: a probe that uses nothing up.
        using var probe = await _failures.AcquireAsync(Address(context), permitCount: 0, context.RequestAborted);
        if (probe.IsAcquired)
        {
            return null;
        }

        _metrics.RateLimitRefused("management_key");
        return SharedRateLimiter.RetryAfterSeconds(probe, _window);
    }

    public async ValueTask RecordFailureAsync(HttpContext context)
    {
        using var lease = await _failures.AcquireAsync(Address(context), permitCount: 1, context.RequestAborted);
    }

    public void Dispose() => _failures.Dispose();

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
