using System.Security.Cryptography;
using System.Text;

namespace Gateway.WeChatSandbox;

/// <summary>WeChat's user-data scheme: AES-128-CBC/PKCS#7 under the session_key, and sha1(rawData + session_key).</summary>
internal static class UserDataCipher
{
    public static EncryptedUserData Encrypt(UserProfile profile, string appId, long timestamp, string sessionKey)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(sessionKey);
        var iv = RandomNumberGenerator.GetBytes(16);
        var plaintext = Encoding.UTF8.GetBytes(profile.Plaintext(appId, timestamp));
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        var rawData = profile.RawData();
        return new EncryptedUserData(
            Convert.ToBase64String(ciphertext),
            Convert.ToBase64String(iv),
            rawData,
            Signature(rawData, sessionKey));
    }

    /// <summary>Any other encrypted payload (the legacy getPhoneNumber data): ciphertext and iv, base64.</summary>
    public static (string EncryptedData, string Iv) EncryptJson(string json, string sessionKey)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(sessionKey);
        var iv = RandomNumberGenerator.GetBytes(16);
        return (Convert.ToBase64String(aes.EncryptCbc(Encoding.UTF8.GetBytes(json), iv, PaddingMode.PKCS7)), Convert.ToBase64String(iv));
    }

    /// <summary>The session_key is appended as the base64 text WeChat gave, not as its decoded bytes.</summary>
    public static string Signature(string rawData, string sessionKey) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(rawData + sessionKey)));
}
