using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Telemetry;

public static class TraceIds
{
    /// <summary>
    /// The W3C trace id of the request (<see cref="Activity.Current"/>: the client's <c>traceparent</c> continued,
    /// or a new trace), else ASP.NET Core's request id.
    /// </summary>
    public static string Of(HttpContext context) =>
        Activity.Current is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : context.TraceIdentifier;
}
