namespace Gateway.IdentityAssertions;

/// <summary>
/// Claim types of the principal the identity assertion scheme builds (<see cref="Microsoft.AspNetCore.Http.HttpContext.User"/>),
/// the same as the gateway's own session principal uses, so a policy reads alike on both sides. Each is present only
/// when the assertion carries it; <see cref="UnionId"/> is the name claim and <see cref="Role"/> the role claim.
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

    /// <summary>The configured key of the OpenID Provider or token issuer (channels <c>oidc</c> and <c>client</c>).</summary>
    public const string Provider = "prv";

    /// <summary>The subject at that provider (channel <c>oidc</c>).</summary>
    public const string Subject = "sbj";

    /// <summary>The e-mail address the provider asserted, when the gateway maps it.</summary>
    public const string Email = "email";

    /// <summary>
    /// One claim per role or group the provider asserted, of the standard role type, so <c>[Authorize(Roles = …)]</c>
    /// and <c>RequireRole</c> read them.
    /// </summary>
    public const string Role = System.Security.Claims.ClaimTypes.Role;

    /// <summary>The OAuth 2.0 client id of an API client's access token (channel <c>client</c>, no person).</summary>
    public const string ClientId = "cid";
}
