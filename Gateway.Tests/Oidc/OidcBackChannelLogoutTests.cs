using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Tests.Login;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Gateway.Tests.Oidc;

public sealed class OidcBackChannelLogoutFixture : IAsyncLifetime
{
    public OidcTestbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() => Bed = await OidcTestbed.StartAsync();

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 (docs/security.md, "OIDC back-channel logout"). OpenIddict does not send
/// logout tokens, so each test makes one as a provider would: signed with the sandbox provider's own signing key.
/// </summary>
public sealed class OidcBackChannelLogoutTests(OidcBackChannelLogoutFixture fixture) : IClassFixture<OidcBackChannelLogoutFixture>
{
    private const string LogoutPath = "/auth/oidc/sandbox/backchannel-logout";

    private OidcTestbed Oidc => fixture.Bed;

    [Fact]
    public async Task ALogoutTokenEndsThePersonsSessionsOnASecondInstanceWithinTheCacheBound()
    {
        var peer = await Oidc.Bed.StartPeerAsync();
        var browser = Oidc.Bed.NewBrowser();
        using (var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, "zhangsan")))
        {
        }

        browser.Gateway = peer;
        using (var before = await browser.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var logout = await PostAsync(await LogoutTokenAsync());
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);

        // The peer's local cache may still vouch for the session for up to Sessions:LocalCacheDuration (0.5 s); a
        // request that starts a second after the logout answered must be refused.
        var answered = Stopwatch.StartNew();
        HttpStatusCode status;
        TimeSpan startedAt;
        do
        {
            startedAt = answered.Elapsed;
            using var after = await browser.GetAsync("/api/me", request => request.Headers.Accept.ParseAdd("application/json"));
            status = after.StatusCode;
        }
        while (status == HttpStatusCode.OK && startedAt < TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task AReplayedLogoutTokenIsRefused()
    {
        var token = await LogoutTokenAsync(subject: "u-nobody");
        using var first = await PostAsync(token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var replayed = await PostAsync(token);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal("oidc_logout_token_replayed", await CodeAsync(replayed));
    }

    public static TheoryData<string> Forgeries() =>
    [
        "expired", "stale-iat", "future-iat", "foreign-audience", "foreign-issuer", "foreign-key", "no-events",
        "events-not-an-object", "nonce", "no-jti", "no-sub", "unsigned",
    ];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task AForgedOrStaleLogoutTokenIsRefusedAndEndsNoSession(string forgery)
    {
        var browser = Oidc.Bed.NewBrowser();
        using (var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, "lisi")))
        {
        }

        var token = forgery switch
        {
            "expired" => await LogoutTokenAsync(issuedAgo: TimeSpan.FromMinutes(3), expiresIn: TimeSpan.FromMinutes(-2)),
            "stale-iat" => await LogoutTokenAsync(issuedAgo: TimeSpan.FromMinutes(20)),
            "future-iat" => await LogoutTokenAsync(issuedAgo: TimeSpan.FromMinutes(-10)),
            "foreign-audience" => await LogoutTokenAsync(audience: "another-client"),
            "foreign-issuer" => await LogoutTokenAsync(issuer: "https://op.evil.example/"),
            "foreign-key" => await LogoutTokenAsync(key: new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "evil" }),
            "no-events" => await LogoutTokenAsync(withEvents: false),
            "events-not-an-object" => await LogoutTokenAsync(events: new Dictionary<string, object> { [BackChannelEvent] = "yes" }),
            "nonce" => await LogoutTokenAsync(extra: new Dictionary<string, object> { ["nonce"] = "n-0S6_WzA2Mj" }),
            "no-jti" => await LogoutTokenAsync(jti: null),
            "no-sub" => await LogoutTokenAsync(subject: null, extra: new Dictionary<string, object> { ["sid"] = "08a5019c-17e1-4977-8f42-65a12843ea02" }),
            "unsigned" => Unsigned(await LogoutTokenAsync()),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        using var refused = await PostAsync(token);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("oidc_logout_token_invalid", await CodeAsync(refused));
        using var still = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task ALogoutWithoutAFormOrWithTwoTokensIsABadRequest()
    {
        using var json = await Oidc.Bed.Api.PostAsync(LogoutPath, new StringContent("{\"logout_token\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("oidc_logout_token_invalid", await CodeAsync(json));

        var token = await LogoutTokenAsync();
        using var twice = await Oidc.Bed.Api.PostAsync(LogoutPath, new FormUrlEncodedContent([new("logout_token", token), new("logout_token", token)]));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal("oidc_logout_token_invalid", await CodeAsync(twice));
    }

    [Fact]
    public async Task ALogoutForAnUnknownProviderIsNotFound()
    {
        using var response = await Oidc.Bed.Api.PostAsync("/auth/oidc/nobody/backchannel-logout", new FormUrlEncodedContent([new("logout_token", await LogoutTokenAsync())]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("oidc_provider_not_found", await CodeAsync(response));
    }

    private const string BackChannelEvent = "http://schemas.openid.net/event/backchannel-logout";

    private async Task<string> LogoutTokenAsync(
        string? subject = "u-zhangsan",
        string? audience = "gateway",
        string? issuer = null,
        TimeSpan? issuedAgo = null,
        TimeSpan? expiresIn = null,
        SecurityKey? key = null,
        Dictionary<string, object>? events = null,
        string? jti = "",
        Dictionary<string, object>? extra = null,
        bool withEvents = true)
    {
        issuer ??= await IssuerAsync();
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Iat] = (now - (issuedAgo ?? TimeSpan.Zero)).ToUnixTimeSeconds(),
        };
        if (subject is not null)
        {
            claims[JwtRegisteredClaimNames.Sub] = subject;
        }

        if (jti is not null)
        {
            claims[JwtRegisteredClaimNames.Jti] = jti.Length == 0 ? Guid.NewGuid().ToString("N") : jti;
        }

        if (withEvents)
        {
            claims["events"] = events ?? new Dictionary<string, object> { [BackChannelEvent] = new Dictionary<string, object>() };
        }

        foreach (var (name, value) in extra ?? [])
        {
            claims[name] = value;
        }

        var signing = key is null
            ? Oidc.ProviderApp.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials.First()
            : new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (now - (issuedAgo ?? TimeSpan.Zero)).UtcDateTime,
            NotBefore = null,
            Expires = expiresIn is { } lifetime ? (now + lifetime).UtcDateTime : null,
            SigningCredentials = signing,
            TokenType = "logout+jwt",
        });
    }

    private async Task<string> IssuerAsync()
    {
        using var client = new HttpClient { BaseAddress = Oidc.Issuer };
        using var document = JsonDocument.Parse(await client.GetStringAsync(".well-known/openid-configuration"));
        return document.RootElement.GetProperty("issuer").GetString()!;
    }

    /// <summary>The same claims with <c>alg: none</c> and no signature.</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"logout+jwt\"}");
        return $"{header}.{parts[1]}.";
    }

    private Task<HttpResponseMessage> PostAsync(string token) =>
        Oidc.Bed.Api.PostAsync(LogoutPath, new FormUrlEncodedContent([new("logout_token", token)]));

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();
}
