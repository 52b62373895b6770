using Gateway.Auth.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy;

namespace Microsoft.AspNetCore.Builder;

public static class RouteTableEndpoint
{
    /// <summary><c>GET routes</c>: the routes in force now (after reloads), each with its path, cluster and authorization policy.</summary>
    public static RouteGroupBuilder MapRouteTable(this RouteGroupBuilder management)
    {
        management.MapGet("/routes", (IProxyStateLookup proxyState) => Results.Json(
            proxyState.GetRoutes()
                .Select(route => route.Config)
                .OrderBy(config => config.RouteId, StringComparer.Ordinal)
                .Select(config => new RouteTableEntry(config.RouteId, config.Match.Path, config.ClusterId, config.AuthorizationPolicy))));
        return management;
    }
}
