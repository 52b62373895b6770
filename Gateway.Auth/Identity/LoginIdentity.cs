using System.Text.Json.Serialization;
using Gateway.IdentityAssertions;

namespace Gateway.Auth.Identity;

/// <summary>In JSON by its assertion name (<see cref="LoginChannels.NameOf"/>), as everywhere the gateway names a channel.</summary>
[JsonConverter(typeof(LoginChannelJsonConverter))]
public enum LoginChannel
{
    OfficialAccount,
    Website,
    MobileApp,
    MiniProgram,
    MultiPlatform,

    /// <summary>An OpenID Connect provider (<c>Oidc:Providers</c>), not WeChat.</summary>
    Oidc,
}

/// <summary>Profile fields are decoration shown to people, never identity.</summary>
public sealed record LoginProfile(string? Nickname, string? AvatarUrl);

/// <summary>
/// What a WeChat login flow learned about the user. <paramref name="UnionId"/> is null when WeChat did not give
/// one; never put the openid there.
/// </summary>
public sealed record LoginIdentity(
    AppId AppId,
    OpenId OpenId,
    UnionId? UnionId,
    LoginChannel Channel,
    bool IsSnapshotUser = false,
    LoginProfile? Profile = null)
{
    /// <summary>
    /// The login from the strings a WeChat answer carries: an empty openid or appid is refused as
    /// <see cref="IdentityErrorCodes.InvalidIdentity"/>, an empty unionid means WeChat gave none.
    /// </summary>
    /// <exception cref="IdentityResolutionException">The appid or openid is empty.</exception>
    public static LoginIdentity FromWeChat(string appId, string? openId, string? unionId, LoginChannel channel, LoginProfile? profile = null)
    {
        IdentityLimits.RequireIdentifier("AppId", appId, IdentityLimits.MaxAppIdLength);
        IdentityLimits.RequireIdentifier("OpenId", openId, IdentityLimits.MaxOpenIdLength);
        return new LoginIdentity(new AppId(appId), new OpenId(openId!), string.IsNullOrEmpty(unionId) ? null : new UnionId(unionId), channel, Profile: profile);
    }
}

/// <summary>
/// The person a login resolved to. <paramref name="UnionId"/> is null when no unionid is known for the person:
/// downstream must then not be told one. <paramref name="LegacyUserId"/> comes from the configured legacy user table.
/// An OpenID Connect sign-in has no <paramref name="AppId"/> or <paramref name="OpenId"/>, and carries <paramref name="Oidc"/>.
/// </summary>
public sealed record ResolvedIdentity(
    PersonId PersonId,
    UnionId? UnionId,
    AppId? AppId,
    OpenId? OpenId,
    LoginChannel Channel,
    string? LegacyUserId,
    OidcSubject? Oidc = null);

/// <summary>
/// Who an OpenID Connect provider said signed in: <paramref name="Provider"/> is the key under <c>Oidc:Providers</c>,
/// (<paramref name="Issuer"/>, <paramref name="Subject"/>) the identity; e-mail and roles only when mapped.
/// </summary>
public sealed record OidcSubject(string Provider, string Issuer, string Subject, string? Email, IReadOnlyList<string> Roles);
