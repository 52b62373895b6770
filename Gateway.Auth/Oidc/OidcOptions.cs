namespace Gateway.Auth.Oidc;

/// <summary>OpenID Connect sign-in (configuration section <c>Oidc</c>): any number of providers, each under its own key.</summary>
public sealed class OidcOptions
{
    public const string SectionName = "Oidc";

    public Dictionary<string, OidcProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One provider, <c>Oidc:Providers:{key}</c>; the key names its start and callback paths.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer; its <c>/.well-known/openid-configuration</c> is read (and its keys refreshed) by the handler.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>A file holding the client secret (a mounted secret), instead of <see cref="ClientSecret"/>.</summary>
    public string? SecretFile { get; set; }

    /// <summary>Scopes besides <c>openid</c>, which is always asked for.</summary>
    public List<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>The provider's claim carrying the e-mail (shown downstream, never used to find a person).</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>The provider's claim carrying roles or groups; empty: none are mapped.</summary>
    public string? RolesClaim { get; set; }

    /// <summary>When set, only e-mails in these domains may sign in (compared case-insensitively).</summary>
    public List<string> AllowedDomains { get; set; } = [];

    /// <summary>When set, only users holding one of these roles or groups (from <see cref="RolesClaim"/>) may sign in.</summary>
    public List<string> RequiredRoles { get; set; } = [];

    /// <summary>Off only for a provider on loopback (the sandbox); discovery over plain HTTP is refused otherwise.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Bounds every call to the provider (discovery, keys, token endpoint).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
