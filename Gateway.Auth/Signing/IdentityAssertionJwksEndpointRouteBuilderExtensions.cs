using Gateway.Auth.Management;
using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class IdentityAssertionJwksEndpointRouteBuilderExtensions
{
    public const string ManagementJwksPath = "/.well-known/jwks.json";

    /// <summary>
    /// Serves the ES256 JWK Set on the management listener, and also on the public listener at
    /// <c>Signing:PublicJwksPath</c> when it is set. Cached for five minutes, which is why a new key is published at
    /// least that long before it becomes active.
    /// </summary>
    public static IEndpointRouteBuilder MapIdentityAssertionJwks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapIdentityAssertionJwks(ManagementJwksPath).WithMetadata(ManagementEndpointMetadata.ListenerOnly);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<SigningOptions>>().Value.PublicJwksPath is { } publicPath)
        {
            endpoints.MapIdentityAssertionJwks(publicPath).WithMetadata(ManagementEndpointMetadata.Shared);
        }

        return endpoints;
    }

    /// <summary>Serves the ES256 JWK Set of the key ring in use at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapIdentityAssertionJwks(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(pattern, (IdentityAssertionKeySet keySet, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Text(keySet.JsonWebKeySetDocument, "application/jwk-set+json");
        });
}
