namespace Gateway.Auth.Signing;

/// <summary>
/// What to sign for one proxied request. <paramref name="Audience"/> is the destination cluster id,
/// <paramref name="Algorithm"/> the cluster's choice (<c>HS256</c> or <c>ES256</c>), and
/// <paramref name="PathAndQuery"/> the request target exactly as it is forwarded (after path transforms, still
/// percent-encoded), e.g. <c>/orders/42?x=1</c>.
/// </summary>
public sealed record IdentityAssertionRequest(
    string Audience,
    string Algorithm,
    string Method,
    string PathAndQuery,
    AssertedIdentity Identity);
