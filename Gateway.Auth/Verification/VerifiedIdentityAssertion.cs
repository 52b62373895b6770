namespace Gateway.Auth.Verification;

/// <summary>
/// The identity a valid assertion carries. <see cref="UnionId"/> comes only from the <c>uid</c> claim and is null
/// when the gateway did not know it: it is never the openid.
/// </summary>
public sealed record VerifiedIdentityAssertion(
    string? UnionId,
    string? PersonId,
    string? OpenId,
    string? AppId,
    string? Channel,
    string? LegacyUserId,
    string Audience,
    string TokenId,
    string KeyId,
    string Algorithm,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt);
