using System.Security.Cryptography;
using System.Text;
using Gateway.Auth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Management;

/// <summary>
/// The one place that decides who reaches the management surface. Decided on the endpoint routing matched, never
/// on the raw path: management endpoints only on the management listener with the API key; the management
/// listener serves nothing else (no proxying, no login).
/// </summary>
internal sealed class ManagementAccessMiddleware(RequestDelegate next, IOptions<ManagementOptions> options, ManagementKeyThrottle throttle)
{
    private readonly byte[] _apiKeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey.Trim()));

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>();
        var onManagementListener = ManagementListener.IsManagementConnection(context);

        if (metadata is null)
        {
            return onManagementListener ? NotFound(context) : next(context);
        }

        if (metadata.ManagementListenerOnly && !onManagementListener)
        {
            return NotFound(context);
        }

        if (!metadata.RequiresApiKey)
        {
            return next(context);
        }

        // Checked before the key, so that while an address is blocked even the right key tells it nothing.
        if (throttle.BlockedFor(context) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ErrorResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests, "management_throttled",
                "Too many wrong management keys from this address: wait and try again.");
        }

        if (HasApiKey(context))
        {
            return next(context);
        }

        throttle.RecordFailure(context);
        return ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "management_unauthorized",
            "Send the management API key as 'Authorization: Bearer <key>'.");
    }

    private bool HasApiKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time whatever the length of the presented key.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _apiKeyHash);
    }

    private static Task NotFound(HttpContext context) =>
        ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, "route_not_found", "No route serves this path.");
}
