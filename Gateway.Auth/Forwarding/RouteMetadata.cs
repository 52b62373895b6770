using Yarp.ReverseProxy.Configuration;

namespace Gateway.Auth.Forwarding;

/// <summary>The gateway's keys in a yarp.json route's <c>Metadata</c>, and their parsing.</summary>
public static class RouteMetadata
{
    public const string AuthPolicy = "AuthPolicy";

    private static readonly string ValidPolicies = string.Join(", ", Enum.GetNames<AuthPolicy>().Select(n => n.ToLowerInvariant()));

    /// <summary>Reads a route's policy; throws naming the route when it is missing or unknown.</summary>
    public static AuthPolicy ReadAuthPolicy(RouteConfig route)
    {
        if (route.Metadata is null || !route.Metadata.TryGetValue(AuthPolicy, out var value) || string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' has no Metadata.{AuthPolicy}; set it to one of: {ValidPolicies}.");
        }

        return TryParse(value, out var policy)
            ? policy
            : throw new InvalidOperationException(
                $"Route '{route.RouteId}' has Metadata.{AuthPolicy} '{value}', which is not one of: {ValidPolicies}.");
    }

    public static bool TryParse(string value, out AuthPolicy policy)
    {
        foreach (var candidate in Enum.GetValues<AuthPolicy>())
        {
            if (string.Equals(value.Trim(), candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                policy = candidate;
                return true;
            }
        }

        policy = default;
        return false;
    }
}
