using System.Globalization;
using Gateway.IdentityAssertions;

namespace Gateway.Auth.Signing;

/// <summary>
/// The identity values the gateway injects for one request, each of its own type so an openid can never be put
/// where the unionid goes. <see cref="UnionId"/> is null when the user's unionid is not known (an unbound official
/// account, for instance): it is never filled with the openid.
/// An OpenID Connect sign-in (channel <c>oidc</c>) adds <paramref name="Provider"/> and <paramref name="Subject"/>,
/// and <paramref name="Email"/> and <paramref name="Roles"/> when the provider's claims are mapped.
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
    IReadOnlyList<string>? Roles = null)
{
    /// <summary>
    /// The identity an assertion's claims carry; null when a claim cannot be one the gateway signs (an empty
    /// identifier, a person id that is not a positive integer in canonical form).
    /// </summary>
    internal static AssertedIdentity? FromClaims(string? unionId, string? personId, string? openId, string? appId, string? channel, string? legacyUserId)
    {
        if (unionId is { Length: 0 } || openId is { Length: 0 } || appId is { Length: 0 })
        {
            return null;
        }

        PersonId? person = null;
        if (personId is not null)
        {
            if (!long.TryParse(personId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0
                || id.ToString(CultureInfo.InvariantCulture) != personId)
            {
                return null;
            }

            person = new PersonId(id);
        }

        return new AssertedIdentity(
            unionId is null ? null : new UnionId(unionId),
            person,
            openId is null ? null : new OpenId(openId),
            appId is null ? null : new AppId(appId),
            channel,
            legacyUserId);
    }
}
