using System.Security.Cryptography;
using System.Text;

namespace Gateway.Auth.Login;

/// <summary>Random values handed to clients, and the hashes stored in their place.</summary>
internal static class LoginSecrets
{
    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Letters and digits only, as WeChat's state parameter requires; 32 of 62 symbols is ~190 bits.</summary>
    public static string NewState() => RandomNumberGenerator.GetString(Alphanumerics, 32);

    /// <summary>Base64url of 32 random bytes: 43 characters.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool LooksLikeToken(string value) =>
        value.Length == 43 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static bool HashEquals(string hexHash, string value) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hexHash), Encoding.ASCII.GetBytes(Hash(value)));
}
