using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Signing;

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

    /// <summary>
    /// Serves the ES256 JWK Set. Mount it on the management surface only; downstream services fetch it from there.
    /// Cached for five minutes, which is why a new key is published at least that long before it becomes active.
    /// </summary>
    public static IEndpointConventionBuilder MapIdentityAssertionJwks(this IEndpointRouteBuilder endpoints, string pattern = "/.well-known/jwks.json") =>
        endpoints.MapGet(pattern, (IdentityAssertionKeySet keySet, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Text(keySet.JsonWebKeySetDocument, "application/jwk-set+json");
        });
}
