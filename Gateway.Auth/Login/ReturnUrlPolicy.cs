using System.Globalization;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// Decides where a browser may be sent after login: a path on this gateway (<c>/...</c>), or an absolute http(s)
/// URL whose origin is <c>Login:PublicBaseUrl</c>'s or listed in <c>Login:AllowedReturnOrigins</c>. Only printable
/// ASCII is accepted: non-ASCII has no single meaning (fullwidth and look-alike slashes and dots that some parsers
/// fold into '/' and '.') and cannot go into a Location header. Percent-encoded characters are kept as they are,
/// so every URL the gateway itself redirects from round-trips, except where decoding would turn the start of a
/// path into an authority: a slash, backslash, whitespace, control or format character right after the first '/'.
/// </summary>
internal sealed class ReturnUrlPolicy
{
    public const int MaxLength = 2048;

    /// <summary>Decoding rounds checked for a hidden authority, for servers that decode more than once.</summary>
    private const int DecodingRounds = 3;

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

        if (requested.Length > MaxLength || !requested.All(IsPrintableAscii) || requested.Contains('\\'))
        {
            return false;
        }

        if (requested[0] == '/')
        {
            if (!IsLocalPath(requested))
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
        return returnUrl.All(IsPrintableAscii);
    }

    /// <summary>
    /// The gateway's own address of a request, as a return URL this policy accepts: the exact target the browser
    /// sent, with anything outside printable ASCII percent-encoded as UTF-8 (browsers do that already).
    /// </summary>
    public static string ToReturnUrl(string rawTarget)
    {
        if (rawTarget.All(IsPrintableAscii))
        {
            return rawTarget;
        }

        var builder = new System.Text.StringBuilder(rawTarget.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < rawTarget.Length; i++)
        {
            var rune = System.Text.Rune.GetRuneAt(rawTarget, i);
            if (rune.IsBmp && IsPrintableAscii((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            i += rune.Utf16SequenceLength - 1;
        }

        return builder.ToString();
    }

    private static bool IsPrintableAscii(char c) => c is > ' ' and < '\x7f';

    private static bool IsLocalPath(string path)
    {
        var decoded = path;
        for (var round = 0; round <= DecodingRounds && decoded.Length > 1; round++)
        {
            var second = decoded[1];
            if (second is '/' or '\\' || char.IsWhiteSpace(second) || char.IsControl(second)
                || CharUnicodeInfo.GetUnicodeCategory(second) == UnicodeCategory.Format)
            {
                return false;
            }

            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                break;
            }

            decoded = next;
        }

        return true;
    }
}
