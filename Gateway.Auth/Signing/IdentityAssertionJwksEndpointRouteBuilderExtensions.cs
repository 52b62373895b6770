using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class IdentityAssertionJwksEndpointRouteBuilderExtensions
{
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
