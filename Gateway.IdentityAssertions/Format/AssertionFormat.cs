namespace Gateway.IdentityAssertions;

/// <summary>Fixed values of the assertion format shared by the signer, the verifier and the documentation.</summary>
public static class AssertionFormat
{
    /// <summary>The JWS <c>typ</c>: keeps an assertion from being mistaken for any other JWT the keys might sign.</summary>
    public const string Type = "wgw-id+jwt";

    public const string Hs256 = "HS256";
    public const string Es256 = "ES256";

    public const string DefaultIssuer = "wechat-auth-gateway";

    /// <summary>HKDF <c>info</c> prefix; the full info is <c>prefix + audience + ":" + kid</c>.</summary>
    public const string Hs256KeyInfoPrefix = "wgw-assertion-hs256:";

    public static bool IsSupportedAlgorithm(string? algorithm) => algorithm is Hs256 or Es256;

    /// <summary>
    /// Key ids are short and never contain ':' so the HKDF info <c>prefix + audience + ":" + kid</c> names exactly
    /// one (audience, kid) pair.
    /// </summary>
    public static bool IsValidKeyId(string? keyId) =>
        !string.IsNullOrEmpty(keyId) && keyId.Length <= 64 && keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
