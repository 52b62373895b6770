using Gateway.Auth.Telemetry;

namespace Microsoft.AspNetCore.Builder;

public static class RequestTelemetryExtensions
{
    /// <summary>Before <c>UseGatewayErrorShape</c>, so the measurements and the access log see the status the client got.</summary>
    public static IApplicationBuilder UseGatewayRequestTelemetry(this IApplicationBuilder app) => app.UseMiddleware<RequestTelemetryMiddleware>();
}
