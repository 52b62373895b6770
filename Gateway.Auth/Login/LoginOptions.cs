namespace Gateway.Auth.Login;

/// <summary>The <c>Login</c> section: how the WeChat login endpoints talk to browsers and clients.</summary>
public sealed class LoginOptions
{
    public const string SectionName = "Login";

    /// <summary>
    /// The gateway's public origin as browsers reach it (e.g. https://auth.example.com). The redirect_uri sent to
    /// WeChat is built from it, never from the request's Host or X-Forwarded-* headers. Required when an Official
    /// Account or Website app is configured.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Origins (scheme://host[:port]) absolute return URLs may point at, besides <see cref="PublicBaseUrl"/>.</summary>
    public List<string> AllowedReturnOrigins { get; set; } = [];

    /// <summary>How long a browser has between the start endpoint and WeChat's callback.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a Mini Program has to post the encrypted user data after login; at most 5 minutes.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the result of an exchanged OAuth code is kept to serve a repeated callback.</summary>
    public TimeSpan CodeReplayWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the latest session_key of a Mini Program user is kept for decrypting user data.</summary>
    public TimeSpan SessionKeyLifetime { get; set; } = TimeSpan.FromDays(2);

    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    public LoginRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>What a browser sees when a login fails: built-in pages, an operator's templates or a redirect.</summary>
    public Pages.LoginPageOptions Pages { get; set; } = new();
}

/// <summary>Fixed windows; a client address and a WeChat user are limited separately.</summary>
public sealed class LoginRateLimitOptions
{
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Login requests per client address per window, counted across every instance sharing the store.</summary>
    public int PerClientPermits { get; set; } = 60;

    /// <summary>Logins per (appid, openid) per window, counted across every instance sharing the store.</summary>
    public int PerOpenIdPermits { get; set; } = 10;
}
