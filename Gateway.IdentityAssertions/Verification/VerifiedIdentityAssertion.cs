namespace Gateway.IdentityAssertions;

/// <summary>
/// The identity a valid assertion carries. <see cref="UnionId"/> comes only from the <c>uid</c> claim and is null
/// when the gateway did not know it: it is never the openid, and its type keeps it from being mistaken for one.
/// </summary>
public sealed record VerifiedIdentityAssertion(
    UnionId? UnionId,
    PersonId? PersonId,
    OpenId? OpenId,
    AppId? AppId,
    string? Channel,
    string? LegacyUserId,
    string Audience,
    string TokenId,
    string KeyId,
    string Algorithm,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt);
