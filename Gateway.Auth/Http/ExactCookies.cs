using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Http;

/// <summary>
/// Reads a cookie by its exact, case-sensitive name. ASP.NET Core's cookie collection matches names ignoring case,
/// which would let a <c>__host-</c> cookie that any sibling subdomain can plant stand in for the <c>__Host-</c>
/// one browsers protect.
/// </summary>
public static class ExactCookies
{
    /// <summary>The first non-empty value sent under exactly <paramref name="name"/>, or null.</summary>
    public static string? Get(HttpRequest request, string name)
    {
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var pair in (header ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var separator = pair.IndexOf('=');
                if (separator > 0 && pair.AsSpan(0, separator).TrimEnd().SequenceEqual(name) && pair[(separator + 1)..].Trim() is { Length: > 0 } value)
                {
                    return value;
                }
            }
        }

        return null;
    }
}
