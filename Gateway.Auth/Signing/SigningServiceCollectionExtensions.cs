using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using Gateway.Auth.Signing;

namespace Microsoft.Extensions.DependencyInjection;

public static class SigningServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IIdentityAssertionSigner"/> and <see cref="IdentityAssertionKeySet"/> from the
    /// <c>Signing</c> section, validated at start-up and reloaded, with the key files it names, when they change.
    /// </summary>
    public static IServiceCollection AddIdentityAssertions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLogging();
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SigningOptions>, DevelopmentSigningKeys>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SigningOptions>, SigningOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SigningKeysState>();
        services.TryAddSingleton<SigningKeys>();
        services.TryAddSingleton<IIdentityAssertionSigner>(sp =>
        {
            var keys = sp.GetRequiredService<SigningKeys>();
            return new IdentityAssertionSigner(() => keys.Current, sp.GetRequiredService<TimeProvider>(), IdentityAssertionSigner.NewTokenId);
        });
        services.TryAddSingleton(sp => new IdentityAssertionKeySet(sp.GetRequiredService<SigningKeys>()));
        services.AddHealthChecks().AddCheck<SigningKeysHealthCheck>(SigningKeysHealthCheck.Name, tags: [HealthServiceCollectionExtensions.ReadinessTag]);
        return services;
    }
}
