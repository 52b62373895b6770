using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// Fixed-window limits per client address (every login endpoint) and per WeChat user (once the openid is known),
/// in process memory: each gateway instance limits on its own.
/// </summary>
internal sealed class LoginRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _openIds;

    public LoginRateLimits(IOptions<LoginOptions> options)
    {
        var limits = options.Value.RateLimit;
        _clients = Create(limits.PerClientPermits, limits.Window);
        _openIds = Create(limits.PerOpenIdPermits, limits.Window);
    }

    public void CheckClient(HttpContext context) =>
        Check(_clients, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", "Too many login attempts from this address: wait and try again.");

    public void CheckOpenId(string appId, string openId) =>
        Check(_openIds, appId + "\n" + openId, "Too many logins for this WeChat user: wait and try again.");

    public void Dispose()
    {
        _clients.Dispose();
        _openIds.Dispose();
    }

    private static void Check(PartitionedRateLimiter<string> limiter, string key, string message)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
            throw new LoginException(StatusCodes.Status429TooManyRequests, LoginErrorCodes.RateLimited, message) { RetryAfterSeconds = Math.Max(retryAfter, 1) };
        }
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
