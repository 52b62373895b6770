using Gateway.IdentityAssertions;

namespace Gateway.Auth.Signing;

/// <summary>
/// The identity values the gateway injects for one request, each of its own type so an openid can never be put
/// where the unionid goes. <see cref="UnionId"/> is null when the user's unionid is not known (an unbound official
/// account, for instance): it is never filled with the openid.
/// </summary>
public sealed record AssertedIdentity(
    UnionId? UnionId,
    PersonId? PersonId,
    OpenId? OpenId,
    AppId? AppId,
    string? Channel,
    string? LegacyUserId);
