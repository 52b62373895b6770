using Gateway.IdentityAssertions;

namespace Gateway.Auth.Signing;

/// <summary>
/// The identity values the gateway injects for one request, each of its own type so an openid can never be put
/// where the unionid goes. <see cref="UnionId"/> is null when the user's unionid is not known (an unbound official
/// account, for instance): it is never filled with the openid.
/// An OpenID Connect sign-in (channel <c>oidc</c>) adds <paramref name="Provider"/> and <paramref name="Subject"/>,
/// and <paramref name="Email"/> and <paramref name="Roles"/> when the provider's claims are mapped. An API client's
/// access token (channel <c>client</c>) has no person: <paramref name="ClientId"/> and <paramref name="Provider"/>.
/// </summary>
public sealed record AssertedIdentity(
    UnionId? UnionId,
    PersonId? PersonId,
    OpenId? OpenId,
    AppId? AppId,
    string? Channel,
    string? LegacyUserId,
    string? Provider = null,
    string? Subject = null,
    string? Email = null,
    IReadOnlyList<string>? Roles = null,
    string? ClientId = null);
