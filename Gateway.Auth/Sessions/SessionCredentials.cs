using Gateway.Auth.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Sessions;

/// <summary>Where a request carries its gateway session, and the session cookie's attributes.</summary>
internal static class SessionCredentials
{
    private const string BearerScheme = "Bearer ";

    /// <summary>
    /// The gateway token the request presents: the bearer when it has the gateway's shape (Mini Program and APP
    /// clients), else the session cookie. Null when there is neither.
    /// </summary>
    public static string? ReadToken(HttpRequest request, string cookieName) =>
        ReadBearer(request) ?? ExactCookies.Get(request, cookieName);

    /// <summary>Every gateway token the request presents (bearer and cookie), so a login can end all of them.</summary>
    public static IEnumerable<string> ReadAllTokens(HttpRequest request, string cookieName)
    {
        if (ReadBearer(request) is { } bearer)
        {
            yield return bearer;
        }

        if (ExactCookies.Get(request, cookieName) is { } cookie)
        {
            yield return cookie;
        }
    }

    /// <summary>True when an <c>Authorization</c> value is a gateway bearer token (valid or not).</summary>
    public static bool IsGatewayBearer(ReadOnlySpan<char> authorization) =>
        authorization.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
        && SessionToken.HasGatewayShape(authorization[BearerScheme.Length..].Trim());

    public static void SetCookie(HttpResponse response, string cookieName, string token, DateTimeOffset expires)
    {
        response.Cookies.Append(cookieName, token, Attributes(expires));
        NoStore(response);
    }

    public static void DeleteCookie(HttpResponse response, string cookieName)
    {
        response.Cookies.Delete(cookieName, Attributes(DateTimeOffset.UnixEpoch));
        NoStore(response);
    }

    // SameSite=Lax, not Strict: the redirect back from WeChat's authorisation page is a cross-site navigation
    // that must carry the cookie. Lax still withholds it from cross-site POSTs, which is the CSRF defence.
    private static CookieOptions Attributes(DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static void NoStore(HttpResponse response) => response.Headers.CacheControl = "no-store";

    private static string? ReadBearer(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value || !IsGatewayBearer(value))
        {
            return null;
        }

        return value[BearerScheme.Length..].Trim();
    }
}
