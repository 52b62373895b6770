using Gateway.Auth.Http;

namespace Microsoft.AspNetCore.Builder;

public static class ErrorShapeExtensions
{
    /// <summary>First in the pipeline, so that every middleware and endpoint after it answers errors in one shape.</summary>
    public static IApplicationBuilder UseGatewayErrorShape(this IApplicationBuilder app) => app.UseMiddleware<ErrorShapeMiddleware>();
}
