using System.Threading.RateLimiting;
using Gateway.Auth.RateLimiting;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// Fixed-window limits per client address (every login endpoint) and per WeChat user (once the openid is known),
/// shared by every instance through the store (<see cref="SharedRateLimiter"/>). When the store cannot count, the
/// login is refused (503 <c>rate_limit_unavailable</c>): an unlimited login would hand an attacker the outage.
/// </summary>
internal sealed class LoginRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _openIds;
    private readonly TimeSpan _window;
    private readonly GatewayMetrics _metrics;

    public LoginRateLimits(IOptions<LoginOptions> options, IEphemeralStore store, GatewayMetrics metrics)
    {
        _metrics = metrics;
        var limits = options.Value.RateLimit;
        _window = limits.Window;
        _clients = SharedRateLimiter.Create(store, "login-address", limits.PerClientPermits, limits.Window);
        _openIds = SharedRateLimiter.Create(store, "login-openid", limits.PerOpenIdPermits, limits.Window);
    }

    public ValueTask CheckClientAsync(HttpContext context) =>
        CheckAsync(_clients, "login_address", context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            "Too many login attempts from this address: wait and try again.", context.RequestAborted);

    public ValueTask CheckOpenIdAsync(string appId, string openId, CancellationToken cancellationToken) =>
        CheckAsync(_openIds, "login_openid", appId + ":" + openId, "Too many logins for this WeChat user: wait and try again.", cancellationToken);

    public void Dispose()
    {
        _clients.Dispose();
        _openIds.Dispose();
    }

    private async ValueTask CheckAsync(PartitionedRateLimiter<string> limiter, string limit, string key, string message, CancellationToken cancellationToken)
    {
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(key, 1, cancellationToken);
        }
        catch (EphemeralStoreUnavailableException exception)
        {
            throw new LoginException(StatusCodes.Status503ServiceUnavailable, LoginErrorCodes.RateLimitUnavailable,
                "The login service cannot check its rate limits right now: try again shortly.", exception) { RetryAfterSeconds = 5 };
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                _metrics.RateLimitRefused(limit);
                throw new LoginException(StatusCodes.Status429TooManyRequests, LoginErrorCodes.RateLimited, message)
                {
                    RetryAfterSeconds = SharedRateLimiter.RetryAfterSeconds(lease, _window),
                };
            }
        }
    }
}
