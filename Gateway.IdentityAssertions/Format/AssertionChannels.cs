namespace Gateway.IdentityAssertions;

/// <summary>Values of the <c>chn</c> claim: the WeChat channel the user signed in through.</summary>
public static class AssertionChannels
{
    public const string OfficialAccount = "official_account";
    public const string Website = "website";
    public const string MobileApp = "mobile_app";
    public const string MiniProgram = "mini_program";
    public const string MultiPlatform = "multi_platform";

    /// <summary>An OpenID Connect sign-in: the person may have no unionid, openid or appid.</summary>
    public const string Oidc = "oidc";

    public static bool IsKnown(string? channel) => channel is OfficialAccount or Website or MobileApp or MiniProgram or MultiPlatform or Oidc;
}
