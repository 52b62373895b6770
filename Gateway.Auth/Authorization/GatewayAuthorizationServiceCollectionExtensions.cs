using Gateway.Auth.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewayAuthorizationServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Core authorization with the route policies (<c>optional</c>, <c>required</c>, and those declared under
    /// <c>Gateway:Authorization:Policies</c>) and the roles of <c>Gateway:Authorization:Roles</c>, validated at start-up.
    /// Needs <c>AddAuthentication().AddGatewaySession()</c>.
    /// </summary>
    public static IServiceCollection AddGatewayAuthorization(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GatewayAuthorizationOptions>().Bind(configuration.GetSection(GatewayAuthorizationOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayAuthorizationOptions>, GatewayAuthorizationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthorizationOptions>, GatewayAuthorizationSetup>());
        services.AddAuthorization();
        return services;
    }
}
