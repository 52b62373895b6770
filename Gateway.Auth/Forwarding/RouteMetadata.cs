using Yarp.ReverseProxy.Configuration;

namespace Gateway.Auth.Forwarding;

/// <summary>The gateway's keys in a yarp.json route's <c>Metadata</c>, and their parsing.</summary>
public static class RouteMetadata
{
    public const string AuthPolicy = "AuthPolicy";

    /// <summary>
    /// Where browser navigation to a <c>required</c> route without a session is sent, e.g.
    /// <c>/auth/wechat/oa/start?app=oa</c>; the gateway appends <c>returnUrl</c>. Without it such a request gets 401.
    /// </summary>
    public const string LoginPath = "LoginPath";

    private const int MaxLoginPathLength = 512;

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

    /// <summary>The route's login path, or null; throws naming the route when it is not a local path.</summary>
    public static string? ReadLoginPath(RouteConfig route)
    {
        if (route.Metadata is null || !route.Metadata.TryGetValue(LoginPath, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        // A local path only: "//host" and "/\host" are read as other hosts by browsers (docs/security.md §4).
        var local = value.Length <= MaxLoginPathLength
            && value.StartsWith('/')
            && (value.Length == 1 || value[1] is not ('/' or '\\'))
            && value.All(c => c > ' ' && c < (char)0x7F && c != '\\' && c != '#');
        return local
            ? value
            : throw new InvalidOperationException(
                $"Route '{route.RouteId}' has Metadata.{LoginPath} '{value}', which is not a local path (it must start with a single '/', with no spaces, backslashes or '#').");
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
