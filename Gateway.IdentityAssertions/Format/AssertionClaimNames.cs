namespace Gateway.IdentityAssertions;

/// <summary>Claim names of the identity assertion (docs/identity-assertion.md lists their meaning).</summary>
public static class AssertionClaimNames
{
    public const string Issuer = "iss";
    public const string Audience = "aud";
    public const string IssuedAt = "iat";
    public const string ExpiresAt = "exp";
    public const string TokenId = "jti";
    public const string Method = "htm";
    public const string PathAndQuery = "htu";
    public const string UnionId = "uid";
    public const string PersonId = "pid";
    public const string OpenId = "oid";
    public const string AppId = "app";
    public const string Channel = "chn";
    public const string LegacyUserId = "lid";

    /// <summary>The configured key of the OpenID Provider or token issuer (channels <c>oidc</c> and <c>client</c>).</summary>
    public const string Provider = "prv";

    /// <summary>The subject at that provider (channel <c>oidc</c>); not JWT's <c>sub</c>, which would name the gateway's person.</summary>
    public const string Subject = "sbj";

    /// <summary>The e-mail address the provider asserted, when mapped.</summary>
    public const string Email = "eml";

    /// <summary>Roles or groups the provider asserted, when mapped: an array of strings.</summary>
    public const string Roles = "rol";

    /// <summary>The OAuth 2.0 client id of an access token (channel <c>client</c>).</summary>
    public const string ClientId = "cid";
}
