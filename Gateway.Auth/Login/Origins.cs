namespace Gateway.Auth.Login;

internal static class Origins
{
    /// <summary>The configured URL's origin (lowercase scheme://host:port), or null when it is not acceptable.</summary>
    public static string? Parse(string value, bool allowPath)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || (!allowPath && uri.AbsolutePath != "/"))
        {
            return null;
        }

        return Of(uri);
    }

    public static string Of(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant();
}
