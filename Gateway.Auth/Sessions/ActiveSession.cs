using Gateway.IdentityAssertions;

namespace Gateway.Auth.Sessions;

/// <summary>
/// A session the store confirmed valid. Carries no secret: neither the token nor its hash.
/// <paramref name="PhoneVerified"/>: WeChat confirmed a phone number for the person (before this session was
/// issued, or through it).
/// </summary>
public sealed record ActiveSession(
    PersonId PersonId,
    UnionId? UnionId,
    OpenId? OpenId,
    AppId? AppId,
    string Channel,
    string? LegacyUserId,
    SessionTransport Transport,
    DateTimeOffset IssuedAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    bool PhoneVerified,
    Identity.OidcSubject? Oidc = null)
{
    /// <summary>Whichever end comes first.</summary>
    public DateTimeOffset ExpiresAt => IdleExpiresAt < AbsoluteExpiresAt ? IdleExpiresAt : AbsoluteExpiresAt;

    internal static ActiveSession From(SessionRecord record) => new(
        new PersonId(record.PersonId),
        record.UnionId,
        record.OpenId,
        record.AppId,
        record.Channel,
        record.LegacyUserId,
        record.Transport,
        DateTimeOffset.FromUnixTimeMilliseconds(record.IssuedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(record.IdleExpiresAt),
        DateTimeOffset.FromUnixTimeMilliseconds(record.AbsoluteExpiresAt),
        record.PhoneVerified,
        record.Oidc);
}
