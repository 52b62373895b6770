using Gateway.Auth.Management;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class ManagementExtensions
{
    public const string PathPrefix = "/_gateway";

    /// <summary>Must run after routing has chosen the endpoint (the default in a WebApplication) and before it executes.</summary>
    public static IApplicationBuilder UseGatewayManagementAccess(this IApplicationBuilder app) =>
        app.UseMiddleware<ManagementAccessMiddleware>();

    /// <summary>The group every management endpoint is mapped in: management listener and API key required.</summary>
    public static RouteGroupBuilder MapGatewayManagement(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(PathPrefix).WithMetadata(ManagementEndpointMetadata.Protected);
}
