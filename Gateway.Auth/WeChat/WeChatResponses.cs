namespace Gateway.Auth.WeChat;

/// <summary>sns/oauth2/access_token. <see cref="AccessToken"/> and <see cref="RefreshToken"/> are secrets.</summary>
public sealed record OAuthAccessToken(
    string AccessToken,
    int ExpiresIn,
    string? RefreshToken,
    string OpenId,
    string? Scope,
    string? UnionId,
    bool IsSnapshotUser);

/// <summary>sns/userinfo. Profile fields are decoration; identity is openid/unionid only.</summary>
public sealed record WeChatUserInfo(string OpenId, string? Nickname, string? HeadImgUrl, string? UnionId);

/// <summary>sns/jscode2session. <see cref="SessionKey"/> must never leave the gateway.</summary>
public sealed record MiniProgramSession(string OpenId, string SessionKey, string? UnionId)
{
    public override string ToString() => $"MiniProgramSession {{ OpenId = {OpenId}, UnionId = {UnionId} }}";
}

/// <summary>cgi-bin/stable_token.</summary>
public sealed record AppAccessToken(string Token, int ExpiresIn)
{
    public override string ToString() => $"AppAccessToken {{ ExpiresIn = {ExpiresIn} }}";
}

/// <summary>wxa/business/getuserphonenumber's phone_info.</summary>
public sealed record PhoneNumberInfo(string PhoneNumber, string PurePhoneNumber, string CountryCode, string? WatermarkAppId);

/// <summary>
/// donut/code2verifyinfo. <see cref="UserId"/> is the multi-platform app's own id for the user; the mobile app
/// fields come with weixinApp logins through a bound mobile app, the unionid when that app is on an open platform.
/// </summary>
public sealed record MultiPlatformVerifyInfo(string UserId, string? LoginType, string? MobileAppId, string? MobileAppOpenId, string? UnionId);
