using System.Buffers.Text;
using System.Text;

namespace Gateway.IdentityAssertions;

/// <summary>
/// Parsing of the compact JWS serialisation (RFC 7515 §7.1) as strictly as the assertion format needs: base64url
/// without padding, and nothing that a lenient decoder would repair.
/// </summary>
internal static class CompactJws
{
    /// <summary>
    /// Splits <c>header.payload.signature</c> and decodes each part; false when there are not exactly three parts or
    /// a part is not unpadded base64url. An empty signature parses (as <c>alg: none</c> tokens have one) so that the
    /// caller can refuse it for its algorithm rather than as malformed.
    /// </summary>
    public static bool TryParse(string token, out ParsedJws parsed)
    {
        parsed = default;
        var parts = token.Split('.');
        if (parts.Length != 3
            || !TryDecode(parts[0], out var header)
            || !TryDecode(parts[1], out var payload)
            || !TryDecode(parts[2], out var signature))
        {
            return false;
        }

        parsed = new ParsedJws(header, payload, Encoding.ASCII.GetBytes(token, 0, token.LastIndexOf('.')), signature);
        return true;
    }

    /// <summary>
    /// Only canonical unpadded base64url: the alphabet without '=', and unused trailing bits zero (which .NET's
    /// decoder enforces), so each token has exactly one spelling.
    /// </summary>
    private static bool TryDecode(string segment, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        if (segment.Length % 4 == 1)
        {
            return false;
        }

        try
        {
            bytes = Base64Url.DecodeFromChars(segment);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

internal readonly record struct ParsedJws(byte[] HeaderJson, byte[] PayloadJson, byte[] SigningInput, byte[] Signature);
