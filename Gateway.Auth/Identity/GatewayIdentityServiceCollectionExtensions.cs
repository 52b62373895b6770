using Gateway.Auth.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewayIdentityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IIdentityResolver"/>, <see cref="IPersonDirectory"/> and the legacy adoption options
    /// (<c>Identity:Legacy</c>). Needs <c>AddRelationalStore</c>, whose migrations create the identity tables.
    /// </summary>
    public static IServiceCollection AddGatewayIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LegacyIdentityOptions>()
            .Bind(configuration.GetSection(LegacyIdentityOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LegacyIdentityOptions>, LegacyIdentityOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdentityStatementCounter>();
        services.TryAddSingleton<LegacyUserLookup>();
        services.TryAddSingleton<IIdentityResolver, IdentityResolver>();
        services.TryAddSingleton<IPersonDirectory, PersonDirectory>();
        return services;
    }
}
