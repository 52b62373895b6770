using Gateway.Auth.Forwarding;
using Gateway.Auth.Http;
using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class GatewayProxyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every yarp.json route. ASP.NET Core authorization applies each route's <c>AuthorizationPolicy</c> before
    /// YARP forwards (so <c>UseAuthorization</c> must run); each route's <c>Metadata.LoginPath</c> becomes the
    /// endpoint's <see cref="LoginPathMetadata"/>, where the session challenge sends browser navigation.
    /// </summary>
    public static ReverseProxyConventionBuilder MapGatewayProxy(this IEndpointRouteBuilder endpoints, Action<IReverseProxyApplicationBuilder>? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var proxy = endpoints.MapReverseProxy(proxy =>
        {
            proxy.Use(ForwarderErrorResponses.WriteOnFailure);
            proxy.Use(RequestBodyLimit.For(endpoints.ServiceProvider));
            pipeline?.Invoke(proxy);
        });
        proxy.ConfigureEndpoints((endpoint, route) =>
        {
            if (RouteMetadata.ReadLoginPath(route) is { } loginPath)
            {
                endpoint.WithMetadata(new LoginPathMetadata(loginPath));
            }
        });
        return proxy;
    }

    /// <summary>
    /// A JSON 404 (<c>route_not_found</c>) for every path no route or endpoint serves. It is a catch-all fallback:
    /// an application with its own fallback maps that one instead.
    /// </summary>
    public static IEndpointConventionBuilder MapGatewayNotFoundFallback(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapFallback("{**path}", () => ErrorResponse.Result(
            StatusCodes.Status404NotFound, "route_not_found", "No route serves this path."));
}
