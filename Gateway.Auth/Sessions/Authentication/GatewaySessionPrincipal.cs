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
        : base(other.WithClaims())
    {
        Session = other.Session;
    }

    public ActiveSession Session { get; }

    public override IEnumerable<Claim> Claims => WithClaims().BaseClaims;

    private IEnumerable<Claim> BaseClaims => base.Claims;

    public override ClaimsIdentity Clone() => new GatewaySessionIdentity(this);

    public override void AddClaim(Claim claim) => WithClaims().BaseAddClaim(claim);

    public override void AddClaims(IEnumerable<Claim?> claims) => WithClaims().BaseAddClaims(claims);

    public override bool TryRemoveClaim(Claim? claim) => WithClaims().BaseTryRemoveClaim(claim);

    public override void RemoveClaim(Claim? claim) => WithClaims().BaseRemoveClaim(claim);

    public override IEnumerable<Claim> FindAll(Predicate<Claim> match) => WithClaims().BaseFindAll(match);

    public override IEnumerable<Claim> FindAll(string type) => WithClaims().BaseFindAll(type);

    public override Claim? FindFirst(Predicate<Claim> match) => WithClaims().BaseFindFirst(match);

    public override Claim? FindFirst(string type) => WithClaims().BaseFindFirst(type);

    public override bool HasClaim(Predicate<Claim> match) => WithClaims().BaseHasClaim(match);

    public override bool HasClaim(string type, string value) => WithClaims().BaseHasClaim(type, value);

    public override void WriteTo(BinaryWriter writer) => WithClaims().BaseWriteTo(writer);

    private void BaseAddClaim(Claim claim) => base.AddClaim(claim);

    private void BaseAddClaims(IEnumerable<Claim?> claims) => base.AddClaims(claims);

    private bool BaseTryRemoveClaim(Claim? claim) => base.TryRemoveClaim(claim);

    private void BaseRemoveClaim(Claim? claim) => base.RemoveClaim(claim);

    private IEnumerable<Claim> BaseFindAll(Predicate<Claim> match) => base.FindAll(match);

    private IEnumerable<Claim> BaseFindAll(string type) => base.FindAll(type);

    private Claim? BaseFindFirst(Predicate<Claim> match) => base.FindFirst(match);

    private Claim? BaseFindFirst(string type) => base.FindFirst(type);

    private bool BaseHasClaim(Predicate<Claim> match) => base.HasClaim(match);

    private bool BaseHasClaim(string type, string value) => base.HasClaim(type, value);

    private void BaseWriteTo(BinaryWriter writer) => base.WriteTo(writer);

    /// <summary>Builds the claims once, then returns this identity.</summary>
    private GatewaySessionIdentity WithClaims()
    {
        if (_roles is null)
        {
            return this;
        }

        lock (_lock)
        {
            if (_roles is { } roles)
            {
                _roles = null;
                Build(roles);
            }
        }

        return this;
    }

    private void Build(IReadOnlyList<string> roles)
    {
        var session = Session;
        Add(GatewayClaimTypes.PersonId, session.PersonId.ToString());
        Add(GatewayClaimTypes.OpenId, session.OpenId.Value);
        Add(GatewayClaimTypes.AppId, session.AppId.Value);
        Add(GatewayClaimTypes.Channel, session.Channel);
        Add(GatewayClaimTypes.Transport, session.Transport == SessionTransport.Cookie ? "cookie" : "bearer");
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
