using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Auth.Sessions;

/// <summary>
/// The secret a client presents: <c>wgs1.{personId}.{256 random bits, base64url}</c>. The person id lets one
/// store round trip read the session and its person's revocation epoch together; it is not secret (the session
/// endpoint shows it) and cannot be altered, because the store key is a hash of the whole token.
/// The fixed prefix lets the gateway recognise its own bearer tokens without a lookup, so it never forwards one.
/// </summary>
internal static class SessionToken
{
    public const string Prefix = "wgs1.";

    private const int RandomBytes = 32;
    private const int RandomChars = 43;
    private const int MaxLength = 80;

    public static string Create(long personId) =>
        Prefix + personId.ToString(CultureInfo.InvariantCulture) + "." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>True for anything shaped like a gateway token, valid or not.</summary>
    public static bool HasGatewayShape(ReadOnlySpan<char> value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool TryParse(string? token, out long personId)
    {
        personId = 0;
        if (token is null || token.Length > MaxLength || !HasGatewayShape(token))
        {
            return false;
        }

        var rest = token.AsSpan(Prefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0 || rest.Length - dot - 1 != RandomChars
            || !long.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out personId) || personId <= 0)
        {
            return false;
        }

        foreach (var c in rest[(dot + 1)..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The store key part of a token <see cref="TryParse"/> accepted: a dump of the store must not hand out usable tokens.</summary>
    public static string Hash(string token)
    {
        // On the stack: this runs on every session check that misses the local cache. TryParse bounds the length.
        Span<byte> ascii = stackalloc byte[MaxLength];
        var length = Encoding.ASCII.GetBytes(token, ascii);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(ascii[..length], digest);
        return Base64Url.EncodeToString(digest);
    }
}
