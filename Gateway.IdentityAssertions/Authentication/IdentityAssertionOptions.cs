using Microsoft.AspNetCore.Authentication;

namespace Gateway.IdentityAssertions;

/// <summary>
/// What a downstream service trusts (configuration section <c>IdentityAssertion</c> by convention). Give it the
/// HS256 keys that <c>print-audience-key</c> printed for its audience, or the gateway's ES256 public keys (as its JWK
/// Set or as PEM), or both. Each key is accepted only with its own algorithm. Keys are decoded when the scheme first
/// verifies and again whenever these options change: bound with
/// <c>services.Configure&lt;IdentityAssertionOptions&gt;(IdentityAssertionDefaults.AuthenticationScheme, section)</c>
/// from a file loaded with <c>reloadOnChange</c>, a service takes new keys without a restart.
/// </summary>
public sealed class IdentityAssertionOptions : AuthenticationSchemeOptions
{
    public const string SectionName = "IdentityAssertion";

    public IdentityAssertionOptions() => Events = new IdentityAssertionEvents();

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

    /// <summary>The handler's extension points: claims from the service's own data, a replay cache, the 401/403 bodies.</summary>
    public new IdentityAssertionEvents Events
    {
        get => (IdentityAssertionEvents)base.Events!;
        set => base.Events = value;
    }
}
