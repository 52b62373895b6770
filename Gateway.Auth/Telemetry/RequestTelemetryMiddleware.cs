using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Auth.Telemetry;

/// <summary>
/// Outermost, so it sees the status the client finally got: for every proxied request the
/// <c>gateway.proxy.request.duration</c> measurement, and for proxied requests and logins the access log line.
/// Every other request passes with two metadata lookups. On the proxy path it costs two timestamps and one
/// histogram record (tags without allocation); the access log line, when enabled, formats one string.
/// </summary>
internal sealed class RequestTelemetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _accessLog;
    private readonly bool _accessLogEnabled;

    public RequestTelemetryMiddleware(
        RequestDelegate next, GatewayMetrics metrics, TimeProvider timeProvider, ILoggerFactory loggers, IOptions<AccessLogOptions> options, IHostEnvironment environment)
    {
        _next = next;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _accessLog = loggers.CreateLogger(AccessLog.Category);
        _accessLogEnabled = options.Value.Enabled ?? !environment.IsDevelopment();
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<RouteModel>() is { } route)
        {
            return ProxiedAsync(context, route);
        }

        return _accessLogEnabled && endpoint?.Metadata.GetMetadata<LoggedEndpoint>() is { } logged
            ? LoggedAsync(context, logged)
            : _next(context);
    }

    /// <summary>Where a request to a yarp.json route ended, from a small fixed set.</summary>
    internal static string Outcome(HttpContext context) =>
        context.GetForwarderErrorFeature() is not null ? "forward_failed"
        : context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is not null ? "forwarded"
        : context.Response.StatusCode switch
        {
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status503ServiceUnavailable => "unavailable",
            >= 500 => "error",
            _ => "refused",
        };

    private async Task ProxiedAsync(HttpContext context, RouteModel route)
    {
        var started = _timeProvider.GetTimestamp();
        try
        {
            await _next(context);
        }
        finally
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            var routeId = route.Config.RouteId;
            var policy = route.Config.AuthorizationPolicy ?? "";
            var outcome = Outcome(context);
            _metrics.ProxyRequest(routeId, policy, outcome, elapsed);
            if (_accessLogEnabled && _accessLog.IsEnabled(LogLevel.Information))
            {
                AccessLog.Request(_accessLog, "proxy", context.Request.Method, routeId, policy, context.Response.StatusCode, outcome, elapsed.TotalMilliseconds,
                    GatewaySessionPrincipal.ReadSession(context.User)?.PersonId.Value, TraceIds.Of(context));
            }
        }
    }

    private async Task LoggedAsync(HttpContext context, LoggedEndpoint logged)
    {
        var started = _timeProvider.GetTimestamp();
        try
        {
            await _next(context);
        }
        finally
        {
            if (_accessLog.IsEnabled(LogLevel.Information))
            {
                var status = context.Response.StatusCode;
                AccessLog.Request(_accessLog, logged.Kind, context.Request.Method, logged.Name, "", status, status < 400 ? "ok" : "refused",
                    _timeProvider.GetElapsedTime(started).TotalMilliseconds, SignedInPerson.Read(context), TraceIds.Of(context));
            }
        }
    }
}
