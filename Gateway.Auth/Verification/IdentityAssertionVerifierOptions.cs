using Gateway.Auth.Signing;

namespace Gateway.Auth.Verification;

/// <summary>
/// What a downstream service trusts (configuration section <c>IdentityAssertion</c> by convention). Give it the
/// HS256 keys that <c>print-audience-key</c> printed for its audience, or the gateway's ES256 public keys (as its JWK
/// Set or as PEM), or both.
/// Each key is accepted only with its own algorithm.
/// </summary>
public sealed class IdentityAssertionVerifierOptions
{
    public const string SectionName = "IdentityAssertion";

    /// <summary>This service's audience: the gateway's cluster id for it.</summary>
    public string? Audience { get; set; }

    public string Issuer { get; set; } = AssertionFormat.DefaultIssuer;

    /// <summary>HS256 audience keys by key id, base64 (32 bytes); several during a rotation.</summary>
    public Dictionary<string, string> Hs256Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The gateway's ES256 JWK Set document, as served on its management surface.</summary>
    public string? Es256Jwks { get; set; }

    /// <summary>ES256 public keys by key id as PEM (<c>BEGIN PUBLIC KEY</c>), instead of or besides <see cref="Es256Jwks"/>.</summary>
    public Dictionary<string, string> Es256PublicKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tolerated clock difference between the gateway and this service.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true the middleware answers 401 to a request without a valid assertion; when false a request without
    /// any assertion passes anonymously (an invalid one is still refused).
    /// </summary>
    public bool Required { get; set; } = true;
}
