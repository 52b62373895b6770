using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>WeChat's error codes and the wording it uses for them (without the varying rid suffix).</summary>
public static class WeChatError
{
    public const int SystemBusy = -1;
    public const int InvalidCredential = 40001;
    public const int InvalidGrantType = 40002;
    public const int InvalidOpenId = 40003;
    public const int InvalidAppId = 40013;
    public const int InvalidCode = 40029;
    public const int InvalidRefreshToken = 40030;
    public const int InvalidAppSecret = 40125;
    public const int CodeBeenUsed = 40163;
    public const int HighRiskUser = 40226;
    public const int AccessTokenMissing = 41001;
    public const int AppIdMissing = 41002;
    public const int AppSecretMissing = 41004;
    public const int CodeMissing = 41008;
    public const int OpenIdMissing = 41009;
    public const int AccessTokenExpired = 42001;
    public const int RefreshTokenExpired = 42002;
    public const int CodeExpired = 42003;
    public const int RateLimited = 45011;
    public const int DataFormatError = 47001;
    public const int ApiUnauthorized = 48001;
    public const int InvalidSignature = 87009;
    public const int DonutCodeExpired = 10001000;
    public const int DonutInvalidCode = 10001001;
    public const int DonutInvalidAppId = 10001002;
    public const int DonutInvalidAppSecret = 10001003;
    public const int DonutInvalidGrantType = 10001004;

    public static string Message(int errcode) => errcode switch
    {
        SystemBusy => "system error",
        InvalidCredential => "invalid credential, access_token is invalid or not latest",
        InvalidGrantType => "invalid grant_type",
        InvalidOpenId => "invalid openid",
        InvalidAppId => "invalid appid",
        InvalidCode => "invalid code",
        InvalidRefreshToken => "invalid refresh_token",
        InvalidAppSecret => "invalid appsecret",
        CodeBeenUsed => "code been used",
        HighRiskUser => "high risk user",
        AccessTokenMissing => "access_token missing",
        AppIdMissing => "appid missing",
        AppSecretMissing => "appsecret missing",
        CodeMissing => "missing code",
        OpenIdMissing => "openid missing",
        AccessTokenExpired => "access_token expired",
        RefreshTokenExpired => "refresh_token expired",
        CodeExpired => "code expired",
        RateLimited => "api minute-quota reach limit  mustslower  retry next minute",
        DataFormatError => "data format error",
        ApiUnauthorized => "api unauthorized",
        InvalidSignature => "invalid signature",
        DonutCodeExpired => "code expired",
        DonutInvalidCode => "invalid code",
        DonutInvalidAppId => "invalid appid",
        DonutInvalidAppSecret => "invalid appsecret",
        DonutInvalidGrantType => "invalid grant_type",
        _ => "sandbox forced error",
    };

    /// <summary>
    /// The body WeChat sends with HTTP 200: errcode (a number, or a string as in one of WeChat's documented examples)
    /// plus an errmsg carrying a random request id.
    /// </summary>
    internal static JsonObject Body(int errcode, bool errcodeAsString = false) => new()
    {
        ["errcode"] = errcodeAsString ? JsonValue.Create(errcode.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(errcode),
        ["errmsg"] = $"{Message(errcode)}, rid: {RequestId()}",
    };

    private static string RequestId()
    {
        Span<byte> bytes = stackalloc byte[12];
        RandomNumberGenerator.Fill(bytes);
        var hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..16]}-{hex[16..]}";
    }
}
