using Gateway.Auth.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ManagementServiceCollectionExtensions
{
    /// <summary>The management listener and API key (<c>Management</c> section), validated at start-up.</summary>
    public static IServiceCollection AddGatewayManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>();
        services.AddGatewayMetrics();
        services.AddSingleton<ManagementKeyThrottle>();
        return services;
    }
}
