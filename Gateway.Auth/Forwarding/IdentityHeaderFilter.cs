using System.Net.Http.Headers;
using Gateway.Auth.Sessions;
using Gateway.Auth.Signing;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Removes from a proxied request everything that could pass for the gateway's identity or credentials: identity
/// headers under any spelling, the gateway's session cookie and its bearer token (docs/security.md §1 and §10). The other
/// names stripped are <see cref="StrippedHeaders"/>.
/// </summary>
internal static class IdentityHeaderFilter
{
    private const string UnionIdPrefix = "x-union-id";

    private static readonly HashSet<string> NormalisedNames = new(IdentityHeaders.All.Select(StrippedHeaders.Normalise), StringComparer.Ordinal);
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = NormalisedNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Compared as PHP, CGI and many frameworks read headers: case-insensitive, with '_' equal to '-'. Every name
    /// starting with X-Union-Id goes as well, so no variant of the main identity header ever reaches a service.
    /// </summary>
    public static bool IsIdentityHeader(string name)
    {
        Span<char> normalised = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            normalised[i] = name[i] == '_' ? '-' : char.ToLowerInvariant(name[i]);
        }

        return Lookup.Contains(normalised) || normalised.StartsWith(UnionIdPrefix, StringComparison.Ordinal);
    }

    /// <summary>Drops the session cookie (other cookies pass) and an Authorization header carrying a gateway token.</summary>
    public static void StripGatewayCredentials(HttpRequestHeaders headers, string cookieName)
    {
        if (headers.NonValidated.TryGetValues("Cookie", out var cookies) && Mentions(cookies, cookieName))
        {
            var kept = new List<string>();
            foreach (var value in cookies)
            {
                foreach (var pair in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = pair.Split('=', 2)[0].Trim();
                    if (!string.Equals(name, cookieName, StringComparison.OrdinalIgnoreCase))
                    {
                        kept.Add(pair);
                    }
                }
            }

            headers.Remove("Cookie");
            if (kept.Count > 0)
            {
                headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
            }
        }

        if (headers.NonValidated.TryGetValues("Authorization", out var authorization))
        {
            var others = new List<string>();
            var gateway = false;
            foreach (var value in authorization)
            {
                if (SessionCredentials.IsGatewayBearer(value))
                {
                    gateway = true;
                }
                else
                {
                    others.Add(value);
                }
            }

            if (gateway)
            {
                headers.Remove("Authorization");
                foreach (var value in others)
                {
                    headers.TryAddWithoutValidation("Authorization", value);
                }
            }
        }
    }

    private static bool Mentions(HeaderStringValues values, string cookieName)
    {
        foreach (var value in values)
        {
            if (value.Contains(cookieName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
