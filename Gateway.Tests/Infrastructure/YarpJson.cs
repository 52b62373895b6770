using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>Writes yarp.json documents for tests: one cluster "backend", routes with their authorization policy.</summary>
public static class YarpJson
{
    public static string Build(Uri destination, IEnumerable<TestRoute> routes, TimeSpan? activityTimeout = null, string? assertionAlgorithm = null)
    {
        var routeNodes = new JsonObject();
        foreach (var route in routes)
        {
            var node = new JsonObject
            {
                ["ClusterId"] = "backend",
                ["Match"] = new JsonObject { ["Path"] = route.Path },
            };
            if (route.Policy is not null)
            {
                node["AuthorizationPolicy"] = route.Policy;
            }

            if (route.LegacyPolicy is not null || route.LoginPath is not null)
            {
                var metadata = new JsonObject();
                if (route.LegacyPolicy is not null)
                {
                    metadata["AuthPolicy"] = route.LegacyPolicy;
                }

                if (route.LoginPath is not null)
                {
                    metadata["LoginPath"] = route.LoginPath;
                }

                node["Metadata"] = metadata;
            }

            if (route.PathRemovePrefix is not null)
            {
                node["Transforms"] = new JsonArray(new JsonObject { ["PathRemovePrefix"] = route.PathRemovePrefix });
            }

            routeNodes[route.Id] = node;
        }

        var cluster = new JsonObject
        {
            ["Destinations"] = new JsonObject { ["d1"] = new JsonObject { ["Address"] = destination.ToString() } },
        };
        if (activityTimeout is { } timeout)
        {
            cluster["HttpRequest"] = new JsonObject { ["ActivityTimeout"] = timeout.ToString("c") };
        }

        if (assertionAlgorithm is not null)
        {
            cluster["Metadata"] = new JsonObject { ["IdentityAssertionAlgorithm"] = assertionAlgorithm };
        }

        return new JsonObject
        {
            ["ReverseProxy"] = new JsonObject
            {
                ["Routes"] = routeNodes,
                ["Clusters"] = new JsonObject { ["backend"] = cluster },
            },
        }.ToJsonString();
    }

    public static string Build(Uri destination, params TestRoute[] routes) => Build(destination, routes, null);
}

/// <param name="Policy">The route's AuthorizationPolicy.</param>
/// <param name="LoginPath">Metadata.LoginPath: where browser navigation without a session is sent.</param>
/// <param name="PathRemovePrefix">A PathRemovePrefix transform for the route.</param>
/// <param name="LegacyPolicy">Metadata.AuthPolicy, the key older yarp.json files used for the policy.</param>
public sealed record TestRoute(
    string Id, string Path, string? Policy = "anonymous", string? LoginPath = null, string? PathRemovePrefix = null, string? LegacyPolicy = null);
