using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Validates every yarp.json route and completes every cluster before YARP applies a configuration. At start-up a
/// failure stops the gateway with a message naming the route; on reload YARP logs it and keeps the previous
/// configuration. The signing keys are resolved when a cluster needs them, so a start-up with invalid keys still
/// reports every route's mistakes.
/// </summary>
internal sealed class GatewayProxyConfigFilter(
    IOptions<GatewayProxyOptions> options,
    IServiceProvider services,
    IOptions<SigningOptions> signing,
    IAuthorizationPolicyProvider policies,
    ILogger<GatewayProxyConfigFilter> logger) : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        var algorithm = ClusterMetadata.ReadAssertionAlgorithm(cluster);
        var ring = services.GetRequiredService<SigningKeys>().Current;
        var activeKey = algorithm == AssertionFormat.Hs256 ? ring.Hs256ActiveKeyId : ring.Es256ActiveKeyId;
        if (activeKey is null)
        {
            var section = algorithm == AssertionFormat.Hs256 ? "Signing:Hs256" : "Signing:Es256";
            throw new InvalidOperationException(
                $"Cluster '{cluster.ClusterId}' signs identity assertions with {algorithm} (Metadata.{ClusterMetadata.IdentityAssertionAlgorithm}, default {AssertionFormat.Hs256}), but {section} has no active key.");
        }

        var request = cluster.HttpRequest ?? new ForwarderRequestConfig();
        return request.ActivityTimeout is not null
            ? ValueTask.FromResult(cluster)
            : ValueTask.FromResult(cluster with { HttpRequest = request with { ActivityTimeout = options.Value.DefaultActivityTimeout } });
    }

    public async ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var policy = await RouteMetadata.ReadPolicyAsync(route, async name => await policies.GetPolicyAsync(name) is not null);
        if (string.IsNullOrWhiteSpace(route.AuthorizationPolicy))
        {
            ForwardingLog.LegacyAuthPolicy(logger, route.RouteId);
        }

        RouteMetadata.ReadLoginPath(route);
        if (route.Match.Path is { } path && ReservedPaths.Claims(path))
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' matches '{path}', which is under a path the gateway serves itself ({string.Join(", ", ReservedPaths.Prefixes)}).");
        }

        if (route.Match.Path is { } routePath && signing.Value.PublicJwksPath is { } jwksPath && PublicJwksPath.IsUnder(routePath, jwksPath))
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' matches '{routePath}', which contains Signing:PublicJwksPath '{jwksPath}': the gateway would answer that path itself.");
        }

        return route with { AuthorizationPolicy = policy };
    }
}
