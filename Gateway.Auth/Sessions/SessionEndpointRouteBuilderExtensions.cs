using Gateway.Auth.Sessions;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class SessionEndpointRouteBuilderExtensions
{
    /// <summary>
    /// <c>GET /auth/session</c> (the current session, no secrets), <c>POST /auth/logout</c> and
    /// <c>POST /auth/logout-everywhere</c>, on the public listener.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewaySessions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SessionEndpoints.SessionPath, SessionEndpoints.CurrentAsync);
        endpoints.MapPost(SessionEndpoints.LogoutPath, SessionEndpoints.LogoutAsync);
        endpoints.MapPost(SessionEndpoints.LogoutEverywherePath, SessionEndpoints.LogoutEverywhereAsync);
        return endpoints;
    }
}
