using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Path prefixes the gateway serves itself. A yarp.json route whose literal path starts with one is refused, so
/// a route can never shadow health, login or management endpoints (a catch-all route is fine: literal endpoints
/// take precedence over parameters in ASP.NET Core routing).
/// </summary>
public static class ReservedPaths
{
    public static readonly IReadOnlyList<PathString> Prefixes =
    [
        "/healthz",
        "/readyz",
        "/auth",
        "/_gateway",
        "/_sandbox",
    ];

    public static bool Claims(string routePath)
    {
        var literal = routePath.Split('{', 2)[0].TrimEnd('/');
        if (literal.Length == 0)
        {
            return false;
        }

        var path = new PathString(literal.StartsWith('/') ? literal : "/" + literal);
        return Prefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
