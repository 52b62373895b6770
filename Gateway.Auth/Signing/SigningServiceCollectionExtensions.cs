using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using Gateway.Auth.Signing;

namespace Microsoft.Extensions.DependencyInjection;

public static class SigningServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IIdentityAssertionSigner"/> and <see cref="IdentityAssertionKeySet"/> from the
    /// <c>Signing</c> section, validated at start-up.
    /// </summary>
    public static IServiceCollection AddIdentityAssertions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SigningOptions>, DevelopmentSigningKeys>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SigningOptions>, SigningOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => SigningKeyRing.LoadValidated(sp.GetRequiredService<IOptions<SigningOptions>>().Value));
        services.TryAddSingleton<IIdentityAssertionSigner>(sp => new IdentityAssertionSigner(
            sp.GetRequiredService<SigningKeyRing>(),
            sp.GetRequiredService<IOptions<SigningOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            IdentityAssertionSigner.NewTokenId));
        services.TryAddSingleton(sp => new IdentityAssertionKeySet(sp.GetRequiredService<SigningKeyRing>()));
        return services;
    }
}
