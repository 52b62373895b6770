using System.Globalization;
using System.Security.Claims;
using Gateway.IdentityAssertions;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>The one mapping between a session and its principal's claims, both ways.</summary>
internal static class GatewaySessionPrincipal
{
    public static ClaimsPrincipal Create(ActiveSession session, IEnumerable<string> roles, string scheme)
    {
        var claims = new List<Claim>(8)
        {
            new(GatewayClaimTypes.PersonId, session.PersonId.ToString()),
            new(GatewayClaimTypes.Channel, session.Channel),
            new(GatewayClaimTypes.Transport, session.Transport == SessionTransport.Cookie ? "cookie" : "bearer"),
        };
        if (session.OpenId is { } openId && session.AppId is { } appId)
        {
            claims.Add(new(GatewayClaimTypes.OpenId, openId.Value));
            claims.Add(new(GatewayClaimTypes.AppId, appId.Value));
        }

        if (session.Oidc is { } oidc)
        {
            claims.Add(new(GatewayClaimTypes.OidcProvider, oidc.Provider));
            claims.Add(new(GatewayClaimTypes.OidcIssuer, oidc.Issuer));
            claims.Add(new(GatewayClaimTypes.OidcSubject, oidc.Subject));
            if (oidc.Email is { } email)
            {
                claims.Add(new(GatewayClaimTypes.Email, email));
            }

            // Roles the provider mapped are roles like any other: named policies' RequireRoles sees them.
            roles = roles.Concat(oidc.Roles).Distinct(StringComparer.Ordinal);
        }
        if (session.UnionId is { } unionId)
        {
            claims.Add(new(GatewayClaimTypes.UnionId, unionId.Value));
        }

        if (session.PhoneVerified)
        {
            claims.Add(new(GatewayClaimTypes.PhoneNumberVerified, "true"));
        }

        if (session.LegacyUserId is { } legacyUserId)
        {
            claims.Add(new(GatewayClaimTypes.LegacyUserId, legacyUserId));
        }

        foreach (var role in roles)
        {
            claims.Add(new(ClaimTypes.Role, role));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, GatewayClaimTypes.PersonId, ClaimTypes.Role));
    }

    /// <summary>The subject of the request's gateway session; null when the principal did not come from one.</summary>
    public static SessionSubject? ReadSubject(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated
                && identity.AuthenticationType == GatewaySessionDefaults.AuthenticationScheme
                && long.TryParse(identity.FindFirst(GatewayClaimTypes.PersonId)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var personId)
                && identity.FindFirst(GatewayClaimTypes.Channel)?.Value is { } channel)
            {
                var oidc = identity.FindFirst(GatewayClaimTypes.OidcProvider)?.Value is { } provider
                    ? new OidcSessionSubject(
                        provider,
                        identity.FindFirst(GatewayClaimTypes.OidcSubject)?.Value ?? "",
                        identity.FindFirst(GatewayClaimTypes.Email)?.Value,
                        [.. identity.FindAll(ClaimTypes.Role).Select(role => role.Value)])
                    : null;
                return new SessionSubject(
                    new PersonId(personId),
                    identity.FindFirst(GatewayClaimTypes.UnionId)?.Value is { Length: > 0 } unionId ? new UnionId(unionId) : null,
                    identity.FindFirst(GatewayClaimTypes.OpenId)?.Value is { Length: > 0 } openId ? new OpenId(openId) : null,
                    identity.FindFirst(GatewayClaimTypes.AppId)?.Value is { Length: > 0 } appId ? new AppId(appId) : null,
                    channel,
                    identity.FindFirst(GatewayClaimTypes.LegacyUserId)?.Value,
                    oidc);
            }
        }

        return null;
    }
}

/// <summary>Who a gateway session is about, as its principal carries it.</summary>
internal sealed record SessionSubject(PersonId PersonId, UnionId? UnionId, OpenId? OpenId, AppId? AppId, string Channel, string? LegacyUserId, OidcSessionSubject? Oidc = null);

/// <summary>The OpenID Connect part of a subject; <paramref name="Roles"/> are all the principal's roles.</summary>
internal sealed record OidcSessionSubject(string Provider, string Subject, string? Email, IReadOnlyList<string> Roles);
