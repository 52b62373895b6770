using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Management;

public static class ManagementExtensions
{
    public const string PathPrefix = "/_gateway";

    public static IServiceCollection AddGatewayManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        services.AddSingleton<ManagementKeyThrottle>();
        return services;
    }

    /// <summary>Must run after routing has chosen the endpoint (the default in a WebApplication) and before it executes.</summary>
    public static IApplicationBuilder UseGatewayManagementAccess(this IApplicationBuilder app) =>
        app.UseMiddleware<ManagementAccessMiddleware>();

    /// <summary>The group every management endpoint is mapped in: management listener and API key required.</summary>
    public static RouteGroupBuilder MapGatewayManagement(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(PathPrefix).WithMetadata(ManagementEndpointMetadata.Protected);
}
