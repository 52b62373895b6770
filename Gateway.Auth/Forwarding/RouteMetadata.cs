using Gateway.Auth.Authorization;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Auth.Forwarding;

/// <summary>The gateway's reading of a yarp.json route: its policy and its <c>Metadata</c> keys, parsed here only.</summary>
public static class RouteMetadata
{
    /// <summary>
    /// The key routes used before the policy moved to YARP's own <c>AuthorizationPolicy</c> field; still read, and
    /// mapped onto that field, so an old yarp.json keeps its meaning.
    /// </summary>
    public const string LegacyAuthPolicy = "AuthPolicy";

    /// <summary>
    /// Where browser navigation to a <c>required</c> route without a session is sent, e.g.
    /// <c>/auth/wechat/oa/start?app=oa</c>; the gateway appends <c>returnUrl</c>. Without it such a request gets 401.
    /// </summary>
    public const string LoginPath = "LoginPath";

    private const int MaxLoginPathLength = 512;

    private static readonly string BuiltIn = $"{GatewayPolicies.Anonymous}, {GatewayPolicies.Optional}, {GatewayPolicies.Required}";

    /// <summary>
    /// The route's policy name: <c>AuthorizationPolicy</c>, else the legacy <c>Metadata.AuthPolicy</c>. Throws naming
    /// the route when there is none, when the two disagree, or when <paramref name="exists"/> does not know the name.
    /// </summary>
    internal static async ValueTask<string> ReadPolicyAsync(RouteConfig route, Func<string, ValueTask<bool>> exists)
    {
        var current = route.AuthorizationPolicy?.Trim();
        var legacy = route.Metadata?.GetValueOrDefault(LegacyAuthPolicy)?.Trim();
        if (string.IsNullOrEmpty(current) && string.IsNullOrEmpty(legacy))
        {
            // An empty policy would make YARP serve the route to anyone: a route states who may use it.
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' has no AuthorizationPolicy; set it to {BuiltIn} or a policy declared under {GatewayAuthorizationOptions.SectionName}:Policies.");
        }

        if (!string.IsNullOrEmpty(current) && !string.IsNullOrEmpty(legacy) && !string.Equals(current, legacy, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Route '{route.RouteId}' has AuthorizationPolicy '{current}' and the older Metadata.{LegacyAuthPolicy} '{legacy}'; keep only AuthorizationPolicy.");
        }

        var policy = string.IsNullOrEmpty(current) ? legacy! : current;
        var key = string.IsNullOrEmpty(current) ? $"Metadata.{LegacyAuthPolicy}" : "AuthorizationPolicy";
        return string.Equals(policy, GatewayPolicies.Anonymous, StringComparison.OrdinalIgnoreCase) || await exists(policy)
            ? policy
            : throw new InvalidOperationException(
                $"Route '{route.RouteId}' has {key} '{policy}', which is not one of {BuiltIn} nor a policy declared under {GatewayAuthorizationOptions.SectionName}:Policies.");
    }

    /// <summary>True when the route never reads a session and never carries identity.</summary>
    internal static bool IsAnonymous(RouteConfig route) =>
        string.Equals(route.AuthorizationPolicy?.Trim(), GatewayPolicies.Anonymous, StringComparison.OrdinalIgnoreCase);

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
}
