using System.Security.Claims;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>The one mapping from a session to its principal, and back to the session.</summary>
internal static class GatewaySessionPrincipal
{
    public static ClaimsPrincipal Create(ActiveSession session, IReadOnlyList<string> roles, string scheme)
    {
        var identity = new GatewaySessionIdentity(session, scheme);
        identity.Add(GatewayClaimTypes.PersonId, session.PersonId.ToString());
        if (session.OpenId is { } openId && session.AppId is { } appId)
        {
            identity.Add(GatewayClaimTypes.OpenId, openId.Value);
            identity.Add(GatewayClaimTypes.AppId, appId.Value);
        }

        identity.Add(GatewayClaimTypes.Channel, session.Channel);
        identity.Add(GatewayClaimTypes.Transport, session.Transport == SessionTransport.Cookie ? "cookie" : "bearer");
        if (session.Oidc is { } oidc)
        {
            identity.Add(GatewayClaimTypes.OidcProvider, oidc.Provider);
            identity.Add(GatewayClaimTypes.OidcIssuer, oidc.Issuer);
            identity.Add(GatewayClaimTypes.OidcSubject, oidc.Subject);
            if (oidc.Email is { } email)
            {
                identity.Add(GatewayClaimTypes.Email, email);
            }

            // Roles the provider mapped are roles like any other: named policies' RequireRoles sees them.
            if (oidc.Roles.Count > 0)
            {
                roles = [.. roles.Concat(oidc.Roles).Distinct(StringComparer.Ordinal)];
            }
        }

        if (session.UnionId is { } unionId)
        {
            identity.Add(GatewayClaimTypes.UnionId, unionId.Value);
        }

        if (session.PhoneVerified)
        {
            identity.Add(GatewayClaimTypes.PhoneNumberVerified, "true");
        }

        if (session.LegacyUserId is { } legacyUserId)
        {
            identity.Add(GatewayClaimTypes.LegacyUserId, legacyUserId);
        }

        foreach (var role in roles)
        {
            identity.Add(ClaimTypes.Role, role);
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// The store-confirmed session behind the request's principal; null when the principal did not come from one.
    /// What is asserted downstream is this session, never claims an event or a transformation added.
    /// </summary>
    public static ActiveSession? ReadSession(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity is GatewaySessionIdentity { IsAuthenticated: true } session
                && session.AuthenticationType == GatewaySessionDefaults.AuthenticationScheme)
            {
                return session.Session;
            }
        }

        return null;
    }
}

/// <summary>
/// The identity of a gateway session: the claims built from it, and the session itself, so that neither the
/// identity transform nor the gateway's endpoints parse claims back on every request.
/// </summary>
internal sealed class GatewaySessionIdentity : ClaimsIdentity
{
    public GatewaySessionIdentity(ActiveSession session, string authenticationType)
        : base(authenticationType, GatewayClaimTypes.PersonId, ClaimTypes.Role)
    {
        Session = session;
    }

    private GatewaySessionIdentity(GatewaySessionIdentity other)
        : base(other)
    {
        Session = other.Session;
    }

    public ActiveSession Session { get; }

    public override ClaimsIdentity Clone() => new GatewaySessionIdentity(this);

    /// <summary>A claim bound to this identity from the start: <c>AddClaim</c> copies any claim bound elsewhere.</summary>
    public void Add(string type, string value) =>
        AddClaim(new Claim(type, value, ClaimValueTypes.String, DefaultIssuer, DefaultIssuer, this));
}
