using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Auth.WeChat;

/// <summary>What wx.getUserProfile encrypted for the gateway, after every check passed.</summary>
internal sealed record DecryptedUserData(string OpenId, string? UnionId, string? NickName, string? AvatarUrl, string WatermarkAppId);

/// <summary>
/// Strict decryption of Mini Program user data (AES-128-CBC, PKCS#7, key = base64 session_key): a wrong key passes
/// the padding check about one time in 256, so UTF-8, JSON, openId and watermark.appid are all checked before anything
/// is believed.
/// </summary>
internal static class MiniProgramUserData
{
    /// <summary>WeChat's user data is well under this; a bigger input is refused before any work.</summary>
    public const int MaxEncryptedDataLength = 16 * 1024;

    private const int MaxRawDataLength = 8 * 1024;

    /// <param name="sessionKey">The latest session_key of this user, as WeChat sent it (base64).</param>
    /// <param name="expectedAppId">The Mini Program's appid; the watermark must name it.</param>
    /// <param name="expectedOpenId">The openid the session_key belongs to; the data must be about this user.</param>
    /// <param name="rawData">Optional; verified with <paramref name="signature"/>, which is then required.</param>
    public static DecryptedUserData Decrypt(
        string sessionKey,
        string? encryptedData,
        string? iv,
        string expectedAppId,
        string expectedOpenId,
        string? rawData = null,
        string? signature = null)
    {
        if (string.IsNullOrEmpty(encryptedData) || encryptedData.Length > MaxEncryptedDataLength)
        {
            throw new UserDataException(UserDataError.BadInput, $"encryptedData is required and at most {MaxEncryptedDataLength} characters.");
        }

        var cipherText = DecodeBase64(encryptedData, "encryptedData");
        var ivBytes = DecodeBase64(iv, "iv");
        if (ivBytes.Length != 16)
        {
            throw new UserDataException(UserDataError.BadInput, "iv must be 16 bytes, base64-encoded.");
        }

        if (cipherText.Length == 0 || cipherText.Length % 16 != 0)
        {
            throw new UserDataException(UserDataError.BadInput, "encryptedData is not a whole number of AES blocks.");
        }

        var data = Parse(DecryptBlocks(sessionKey, cipherText, ivBytes));
        if (!string.Equals(data.WatermarkAppId, expectedAppId, StringComparison.Ordinal))
        {
            throw new UserDataException(UserDataError.WatermarkMismatch, "The user data was issued for another app.");
        }

        if (!string.Equals(data.OpenId, expectedOpenId, StringComparison.Ordinal))
        {
            throw new UserDataException(UserDataError.WatermarkMismatch, "The user data is about another user than this login.");
        }

        // After decryption, so that data encrypted under a rotated session_key reads as "log in again", not as tampering.
        if (signature is not null || rawData is not null)
        {
            VerifySignature(sessionKey, rawData, signature);
        }

        return data;
    }

    /// <summary>sha1(rawData + session_key) as lowercase hex, compared in constant time.</summary>
    public static void VerifySignature(string sessionKey, string? rawData, string? signature)
    {
        if (string.IsNullOrEmpty(rawData) || rawData.Length > MaxRawDataLength || string.IsNullOrEmpty(signature))
        {
            throw new UserDataException(UserDataError.BadInput, $"rawData and signature go together; rawData is at most {MaxRawDataLength} characters.");
        }

        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(rawData + sessionKey))));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(signature)))
        {
            throw new UserDataException(UserDataError.SignatureInvalid, "signature does not match rawData.");
        }
    }

    private static byte[] DecryptBlocks(string sessionKey, byte[] cipherText, byte[] iv)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(sessionKey);
        }
        catch (FormatException)
        {
            throw new UserDataException(UserDataError.DecryptFailed, "The stored session_key is unusable; log in again.");
        }

        if (key.Length != 16)
        {
            throw new UserDataException(UserDataError.DecryptFailed, "The stored session_key is unusable; log in again.");
        }

        using var aes = Aes.Create();
        aes.Key = key;
        try
        {
            return aes.DecryptCbc(cipherText, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            throw new UserDataException(UserDataError.DecryptFailed, "The user data does not decrypt with the current session_key; log in again.");
        }
    }

    private static DecryptedUserData Parse(byte[] plainText)
    {
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(plainText);
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && WeChatJson.String(root, "openId") is { } openId
                && root.TryGetProperty("watermark", out var watermark) && watermark.ValueKind == JsonValueKind.Object
                && WeChatJson.String(watermark, "appid") is { } watermarkAppId)
            {
                return new DecryptedUserData(openId, WeChatJson.String(root, "unionId"), WeChatJson.String(root, "nickName"), WeChatJson.String(root, "avatarUrl"), watermarkAppId);
            }
        }
        catch (Exception e) when (e is DecoderFallbackException or JsonException)
        {
            // Falls through: garbage from a wrong key is a decrypt failure, not bad input.
        }

        throw new UserDataException(UserDataError.DecryptFailed, "The user data does not decrypt with the current session_key; log in again.");
    }

    /// <summary>Form and query decoding turns '+' into ' '; a space never occurs in base64, so it is put back.</summary>
    private static byte[] DecodeBase64(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new UserDataException(UserDataError.BadInput, $"{name} is required.");
        }

        var repaired = value.Replace(' ', '+');
        var buffer = new byte[(repaired.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(repaired, buffer, out var written)
            ? buffer[..written]
            : throw new UserDataException(UserDataError.BadInput, $"{name} is not valid base64.");
    }
}
