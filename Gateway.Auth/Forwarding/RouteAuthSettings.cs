using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// A route's policy and login path, parsed once per route configuration (a reload brings new
/// <see cref="RouteConfig"/> objects, so the cache never serves stale settings).
/// </summary>
internal sealed record RouteAuthSettings(AuthPolicy Policy, string? LoginPath)
{
    private static readonly ConditionalWeakTable<RouteConfig, RouteAuthSettings> Cache = new();

    public static RouteAuthSettings For(RouteConfig route) =>
        Cache.GetValue(route, r => new RouteAuthSettings(RouteMetadata.ReadAuthPolicy(r), RouteMetadata.ReadLoginPath(r)));
}
