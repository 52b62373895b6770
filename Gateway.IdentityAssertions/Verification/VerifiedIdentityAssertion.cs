namespace Gateway.IdentityAssertions;

/// <summary>
/// The identity a valid assertion carries. <see cref="UnionId"/> comes only from the <c>uid</c> claim and is null
/// when the gateway did not know it: it is never the openid, and its type keeps it from being mistaken for one.
/// An OpenID Connect person (<see cref="AssertionChannels.Oidc"/>) always has <see cref="Provider"/> and
/// <see cref="Subject"/>, and may have no unionid, openid or appid; an API client's token
/// (<see cref="AssertionChannels.Client"/>) has <see cref="ClientId"/> and no person (<see cref="PersonId"/> is null).
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
    DateTimeOffset ExpiresAt)
{
    /// <summary>The configured key of the OpenID Provider or token issuer (<c>prv</c>).</summary>
    public string? Provider { get; init; }

    /// <summary>The subject at <see cref="Provider"/> (<c>sbj</c>), channel <c>oidc</c>; not the gateway's person id.</summary>
    public string? Subject { get; init; }

    /// <summary>The e-mail address the provider asserted (<c>eml</c>), when the gateway maps it.</summary>
    public string? Email { get; init; }

    /// <summary>The roles or groups the provider asserted (<c>rol</c>), when mapped; empty otherwise.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The OAuth 2.0 client id of an API client's access token (<c>cid</c>), channel <c>client</c>.</summary>
    public string? ClientId { get; init; }
}
