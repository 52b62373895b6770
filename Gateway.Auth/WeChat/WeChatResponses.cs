namespace Gateway.Auth.WeChat;

/// <summary>sns/oauth2/access_token. <see cref="AccessToken"/> and <see cref="RefreshToken"/> are secrets.</summary>
internal sealed record OAuthAccessToken(
    string AccessToken,
    int ExpiresIn,
    string? RefreshToken,
    string OpenId,
    string? Scope,
    string? UnionId,
    bool IsSnapshotUser);

/// <summary>sns/userinfo. Profile fields are decoration; identity is openid/unionid only.</summary>
internal sealed record WeChatUserInfo(string OpenId, string? Nickname, string? HeadImgUrl, string? UnionId);

/// <summary>sns/jscode2session. <see cref="SessionKey"/> must never leave the gateway.</summary>
internal sealed record MiniProgramSession(string OpenId, string SessionKey, string? UnionId)
{
    public override string ToString() => $"MiniProgramSession {{ OpenId = {OpenId}, UnionId = {UnionId} }}";
}

/// <summary>cgi-bin/stable_token.</summary>
internal sealed record AppAccessToken(string Token, int ExpiresIn)
{
    public override string ToString() => $"AppAccessToken {{ ExpiresIn = {ExpiresIn} }}";
}

/// <summary>wxa/business/getuserphonenumber's phone_info.</summary>
internal sealed record PhoneNumberInfo(string PhoneNumber, string PurePhoneNumber, string CountryCode, string? WatermarkAppId);
