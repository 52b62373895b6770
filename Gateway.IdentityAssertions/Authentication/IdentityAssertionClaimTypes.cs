namespace Gateway.IdentityAssertions;

/// <summary>
/// Claim types of the principal the identity assertion scheme builds (<see cref="Microsoft.AspNetCore.Http.HttpContext.User"/>).
/// Each is present only when the assertion carries it; <see cref="UnionId"/> is the name claim.
/// </summary>
public static class IdentityAssertionClaimTypes
{
    public const string UnionId = "unionid";
    public const string PersonId = "person_id";
    public const string OpenId = "openid";
    public const string AppId = "appid";

    /// <summary>One of <see cref="AssertionChannels"/>: how the user signed in.</summary>
    public const string Channel = "channel";

    public const string LegacyUserId = "legacy_user_id";
}
