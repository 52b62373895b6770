using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// Decides where a browser may be sent after login: a path on this gateway (<c>/...</c>, never <c>//</c> or
/// <c>/\</c>), or an absolute http(s) URL whose origin is <c>Login:PublicBaseUrl</c>'s or listed in
/// <c>Login:AllowedReturnOrigins</c>. Whitespace, control characters and backslashes are refused, also when
/// percent-encoded, because browsers and servers disagree about what they mean.
/// </summary>
internal sealed class ReturnUrlPolicy
{
    public const int MaxLength = 2048;

    private readonly HashSet<string> _origins;

    public ReturnUrlPolicy(IOptions<LoginOptions> options)
    {
        _origins = options.Value.AllowedReturnOrigins
            .Append(options.Value.PublicBaseUrl ?? "")
            .Select(origin => Origins.Parse(origin, allowPath: true))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True with the URL to redirect to (<c>/</c> when none was asked for); false when it is refused.</summary>
    public bool TryValidate(string? requested, out string returnUrl)
    {
        returnUrl = "/";
        if (string.IsNullOrEmpty(requested))
        {
            return true;
        }

        if (requested.Length > MaxLength || !IsClean(requested))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(requested);
        }
        catch (UriFormatException)
        {
            return false;
        }

        if (!IsClean(decoded))
        {
            return false;
        }

        if (requested[0] == '/')
        {
            if (requested.StartsWith("//", StringComparison.Ordinal) || decoded.StartsWith("//", StringComparison.Ordinal))
            {
                return false;
            }

            returnUrl = requested;
            return true;
        }

        // "https:evil.com" parses as an absolute URL in some parsers: require the authority marker literally.
        if (!Uri.TryCreate(requested, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !requested.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase)
            || uri.UserInfo.Length > 0
            || !_origins.Contains(Origins.Of(uri)))
        {
            return false;
        }

        returnUrl = uri.AbsoluteUri;
        return true;
    }

    private static bool IsClean(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return false;
            }
        }

        return true;
    }
}
