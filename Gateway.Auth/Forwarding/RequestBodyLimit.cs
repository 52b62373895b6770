using Gateway.Auth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Holds proxied requests to the listener's body limit (<c>Kestrel:Limits:MaxRequestBodySize</c>). Seen here: a body
/// over the limit reached the destination through YARP unchecked, so the proxy pipeline applies it itself — at once
/// for a declared Content-Length, and while streaming for a chunked body.
/// </summary>
internal static class RequestBodyLimit
{
    /// <summary>The pipeline step for the listener's limit, read once: the limits are fixed when Kestrel starts.</summary>
    public static Func<HttpContext, Func<Task>, Task> For(IServiceProvider services) =>
        services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestBodySize is long max
            ? (context, next) => Enforce(context, next, max)
            : (_, next) => next();

    private static Task Enforce(HttpContext context, Func<Task> next, long max)
    {
        if (context.Request.ContentLength > max)
        {
            return TooLarge(context, max);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = max;
        }

        return next();
    }

    private static Task TooLarge(HttpContext context, long max) =>
        ErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large",
            $"The request body is larger than {max} bytes.");
}
