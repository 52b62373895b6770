namespace Gateway.OpenIdSandbox;

/// <summary>
/// The sandbox OpenID Provider (configuration section <c>OpenIdSandbox</c>): its test users, the gateway as a
/// code + PKCE client, and machine clients for the client-credentials grant. Lists left empty get the built-in set.
/// </summary>
public sealed class OpenIdSandboxOptions
{
    public const string SectionName = "OpenIdSandbox";

    public const string DefaultUrl = "http://127.0.0.1:5082";

    /// <summary>Whether the gateway's embedded default starts the sandbox; refused in Production.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the provider listens; also its issuer.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The gateway the built-in client redirects to (its <c>Login:PublicBaseUrl</c>).</summary>
    public string GatewayBaseUrl { get; set; } = "http://127.0.0.1:5080";

    public List<SandboxOidcUser> Users { get; set; } = [];

    public List<SandboxOidcClient> Clients { get; set; } = [];

    /// <summary>Lifetime of access tokens; short in tests that need a token to expire.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    internal void ApplyDefaults()
    {
        if (Users.Count == 0)
        {
            Users =
            [
                new() { UserName = "zhangsan", Password = "sandbox", Subject = "u-zhangsan", Email = "zhangsan@example.com", Name = "张三", Roles = ["staff"] },
                new() { UserName = "lisi", Password = "sandbox", Subject = "u-lisi", Email = "lisi@partner.example", Name = "李四", Roles = [] },
            ];
        }

        if (Clients.Count == 0)
        {
            Clients =
            [
                new() { ClientId = "gateway", ClientSecret = "sandbox-gateway-secret", RedirectUris = [GatewayBaseUrl + "/auth/oidc/sandbox/callback"], PostLogoutRedirectUris = [GatewayBaseUrl + "/auth/oidc/sandbox/signed-out"] },
                new() { ClientId = "partner-service", ClientSecret = "sandbox-partner-secret" },
            ];
        }
    }
}

public sealed class SandboxOidcUser
{
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    public string Subject { get; set; } = "";

    public string? Email { get; set; }

    public string? Name { get; set; }

    public List<string> Roles { get; set; } = [];
}

/// <summary>A client with redirect URIs signs users in (code + PKCE); one without is a machine client (client credentials).</summary>
public sealed class SandboxOidcClient
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];
}
