using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Telemetry;

/// <summary>
/// The access log: the route or login flow, never the path or query (they may carry tokens and codes), the
/// person by id only, and the trace id that finds the same request in the traces.
/// </summary>
internal static partial class AccessLog
{
    public const string Category = "Gateway.AccessLog";

    [LoggerMessage(EventId = 9301, Level = LogLevel.Information,
        Message = "{Kind} {Method} {Route} {Policy} answered {StatusCode} ({Outcome}) in {DurationMs:0.0} ms for person {PersonId} trace {TraceId}")]
    public static partial void Request(ILogger logger, string kind, string method, string route, string policy, int statusCode, string outcome, double durationMs, long? personId, string traceId);
}
