namespace Gateway.Auth.Signing;

/// <summary>
/// The identity values the gateway injects for one request. <see cref="UnionId"/> is null when the user's unionid
/// is not known (an unbound official account, for instance): it is never filled with the openid.
/// </summary>
public sealed record AssertedIdentity(
    string? UnionId,
    string? PersonId,
    string? OpenId,
    string? AppId,
    string? Channel,
    string? LegacyUserId);
