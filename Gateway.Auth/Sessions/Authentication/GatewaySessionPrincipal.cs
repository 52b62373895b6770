using System.Security.Claims;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>The one mapping from a session to its principal, and back to the session.</summary>
internal static class GatewaySessionPrincipal
{
    /// <summary>
    /// The principal of a checked session. Its claims are built the first time anything reads them (a claim or role
    /// policy, an event, <c>User.FindFirst</c>): the built-in policies and the identity transform read the session
    /// itself, so a proxied request on a <c>required</c> route builds none.
    /// </summary>
    public static ClaimsPrincipal Create(ActiveSession session, IReadOnlyList<string> roles, string scheme) =>
        new(new GatewaySessionIdentity(session, roles, scheme));

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
/// The identity of a gateway session: the session itself, so that neither the identity transform nor the gateway's
/// endpoints parse claims back on every request, and the claims built from it on first use. Every member that reads
/// or changes the claims builds them first, so the identity behaves as one built eagerly (tests:
/// <c>GatewaySessionPrincipalTests</c>).
/// </summary>
internal sealed class GatewaySessionIdentity : ClaimsIdentity
{
    private readonly Lock _lock = new();
    private IReadOnlyList<string>? _roles;

    public GatewaySessionIdentity(ActiveSession session, IReadOnlyList<string> roles, string authenticationType)
        : base(authenticationType, GatewayClaimTypes.PersonId, ClaimTypes.Role)
    {
        Session = session;
        _roles = roles;
    }

    private GatewaySessionIdentity(GatewaySessionIdentity other)
        : base(other.Built())
    {
        Session = other.Session;
    }

    public ActiveSession Session { get; }

    private GatewaySessionIdentity Built()
    {
        EnsureClaims();
        return this;
    }

    // The finders (FindFirst, FindAll, HasClaim) enumerate Claims; what touches the claim list itself builds it first.
    public override IEnumerable<Claim> Claims
    {
        get
        {
            EnsureClaims();
            return base.Claims;
        }
    }

    public override ClaimsIdentity Clone() => new GatewaySessionIdentity(this);

    public override void AddClaim(Claim claim)
    {
        EnsureClaims();
        base.AddClaim(claim);
    }

    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        EnsureClaims();
        base.AddClaims(claims);
    }

    public override bool TryRemoveClaim(Claim? claim)
    {
        EnsureClaims();
        return base.TryRemoveClaim(claim);
    }

    public override void RemoveClaim(Claim? claim)
    {
        EnsureClaims();
        base.RemoveClaim(claim);
    }

    public override void WriteTo(BinaryWriter writer)
    {
        EnsureClaims();
        base.WriteTo(writer);
    }

    /// <summary>Builds the claims once.</summary>
    private void EnsureClaims()
    {
        if (_roles is null)
        {
            return;
        }

        lock (_lock)
        {
            if (_roles is { } roles)
            {
                _roles = null;
                Build(roles);
            }
        }
    }

    private void Build(IReadOnlyList<string> roles)
    {
        var session = Session;
        Add(GatewayClaimTypes.PersonId, session.PersonId.ToString());
        if (session.OpenId is { } openId && session.AppId is { } appId)
        {
            Add(GatewayClaimTypes.OpenId, openId.Value);
            Add(GatewayClaimTypes.AppId, appId.Value);
        }

        Add(GatewayClaimTypes.Channel, session.Channel);
        Add(GatewayClaimTypes.Transport, session.Transport == SessionTransport.Cookie ? "cookie" : "bearer");
        if (session.Oidc is { } oidc)
        {
            Add(GatewayClaimTypes.OidcProvider, oidc.Provider);
            Add(GatewayClaimTypes.OidcIssuer, oidc.Issuer);
            Add(GatewayClaimTypes.OidcSubject, oidc.Subject);
            if (oidc.Email is { } email)
            {
                Add(GatewayClaimTypes.Email, email);
            }

            // Roles the provider mapped are roles like any other: a named policy's RequireRoles sees them.
            roles = [.. roles.Concat(oidc.Roles).Distinct(StringComparer.Ordinal)];
        }
        if (session.UnionId is { } unionId)
        {
            Add(GatewayClaimTypes.UnionId, unionId.Value);
        }

        if (session.PhoneVerified)
        {
            Add(GatewayClaimTypes.PhoneNumberVerified, "true");
        }

        if (session.LegacyUserId is { } legacyUserId)
        {
            Add(GatewayClaimTypes.LegacyUserId, legacyUserId);
        }

        foreach (var role in roles)
        {
            Add(ClaimTypes.Role, role);
        }
    }

    /// <summary>A claim bound to this identity from the start: <c>AddClaim</c> copies any claim bound elsewhere.</summary>
    private void Add(string type, string value) =>
        base.AddClaim(new Claim(type, value, ClaimValueTypes.String, DefaultIssuer, DefaultIssuer, this));
}
