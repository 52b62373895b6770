using System.Security.Cryptography;
using System.Text;

namespace Gateway.IdentityAssertions;

/// <summary>
/// Derives the HS256 key one downstream service holds from the gateway's master secret, so that a service can
/// verify assertions addressed to it but cannot forge one for another audience:
/// <c>HKDF-SHA256(ikm = master secret, salt = empty, info = "wgw-assertion-hs256:" + audience + ":" + kid, L = 32)</c>.
/// </summary>
public static class Hs256KeyDerivation
{
    public const int KeyLength = 32;

    public static byte[] DeriveAudienceKey(ReadOnlySpan<byte> masterSecret, string audience, string keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        if (!AssertionFormat.IsValidKeyId(keyId))
        {
            throw new ArgumentException($"Key id '{keyId}' is not a valid key id.", nameof(keyId));
        }

        var info = Encoding.UTF8.GetBytes(AssertionFormat.Hs256KeyInfoPrefix + audience + ":" + keyId);
        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterSecret, key, salt: [], info);
        return key;
    }
}
