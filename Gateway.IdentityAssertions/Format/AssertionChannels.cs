namespace Gateway.IdentityAssertions;

/// <summary>Values of the <c>chn</c> claim: the WeChat channel the user signed in through, <c>oidc</c> for an
/// OpenID Connect sign-in, or <c>client</c> for an API client's access token (no person).</summary>
public static class AssertionChannels
{
    public const string OfficialAccount = "official_account";
    public const string Website = "website";
    public const string MobileApp = "mobile_app";
    public const string MiniProgram = "mini_program";
    public const string MultiPlatform = "multi_platform";

    /// <summary>An OpenID Connect sign-in: a person, who may have no unionid, openid or appid; <c>prv</c> and <c>sbj</c> name the identity.</summary>
    public const string Oidc = "oidc";

    /// <summary>An API client's OAuth 2.0 access token: no person (no <c>pid</c>), <c>cid</c> names the client.</summary>
    public const string Client = "client";

    public static bool IsKnown(string? channel) => channel is OfficialAccount or Website or MobileApp or MiniProgram or MultiPlatform or Oidc or Client;
}
