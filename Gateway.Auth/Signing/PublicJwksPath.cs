using System.Buffers;
using Gateway.Auth.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Signing;

/// <summary>The rules for <see cref="SigningOptions.PublicJwksPath"/>: a plain absolute path nobody else serves.</summary>
internal static class PublicJwksPath
{
    private static readonly SearchValues<char> NotInAPlainPath = SearchValues.Create("{}?#*\\ ");

    public static void Validate(string? path, List<string> errors)
    {
        if (path is null)
        {
            return;
        }

        if (!path.StartsWith('/') || path.Length < 2 || path.AsSpan().ContainsAny(NotInAPlainPath) || path.Contains("//", StringComparison.Ordinal))
        {
            errors.Add($"Signing:PublicJwksPath '{path}' must be an absolute path such as /.well-known/jwks.json, without a query or route parameters.");
        }
        else if (ReservedPaths.Claims(path))
        {
            errors.Add($"Signing:PublicJwksPath '{path}' is under a path the gateway serves itself ({string.Join(", ", ReservedPaths.Prefixes)}).");
        }
    }

    /// <summary>
    /// Whether a yarp.json route's literal prefix contains the path, so that the JWKS would shadow that route's
    /// destination. A route that starts with a parameter (a catch-all) does not count: the gateway's own literal
    /// paths take precedence over it, as they do for <see cref="ReservedPaths"/>.
    /// </summary>
    public static bool IsUnder(string routePath, string jwksPath)
    {
        var literal = routePath.Split('{', 2)[0].TrimEnd('/');
        return literal.Length > 0
            && new PathString(jwksPath).StartsWithSegments(literal.StartsWith('/') ? literal : "/" + literal, StringComparison.OrdinalIgnoreCase);
    }
}
