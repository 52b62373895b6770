namespace Gateway.IdentityAssertions;

/// <summary>
/// Claim types of the principal the identity assertion scheme builds (<see cref="Microsoft.AspNetCore.Http.HttpContext.User"/>),
/// the same as the gateway's own session principal uses, so a policy reads alike on both sides. Each is present only
/// when the assertion carries it; <see cref="UnionId"/> is the name claim.
/// </summary>
public static class IdentityAssertionClaimTypes
{
    /// <summary>Present only when the person's unionid is known; never the openid.</summary>
    public const string UnionId = "uid";

    /// <summary>The gateway's person id, decimal.</summary>
    public const string PersonId = "pid";

    public const string OpenId = "oid";

    public const string AppId = "app";

    /// <summary>One of <see cref="AssertionChannels"/>: how the user signed in.</summary>
    public const string Channel = "channel";

    public const string LegacyUserId = "lid";
}
