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
    public const string Provider = "prv";
    public const string Subject = "sub";
    public const string Email = "eml";
    public const string Roles = "rol";
}
