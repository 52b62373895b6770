using System.Net;
using System.Text.Json;
using Gateway.Auth.Signing;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Oidc;

public sealed class OidcSignInFixture : IAsyncLifetime
{
    public OidcTestbed Bed { get; private set; } = null!;

    public async Task InitializeAsync() => Bed = await OidcTestbed.StartAsync();

    public async Task DisposeAsync() => await Bed.DisposeAsync();
}

/// <summary>Code + PKCE sign-in against a real OpenIddict provider, and the attacks on its state and correlation.</summary>
public sealed class OidcSignInTests(OidcSignInFixture fixture) : IClassFixture<OidcSignInFixture>
{
    private OidcTestbed Oidc => fixture.Bed;

    [Fact]
    public async Task CodeAndPkceSignInLandsOnTheReturnUrlSignedInAndARequiredRouteSeesThePersonWithoutUnionId()
    {
        var browser = Oidc.Bed.NewBrowser();
        var callback = await Oidc.AuthorizeAsync(browser, "lisi");

        using var landed = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        Assert.Equal("/api/me", landed.Headers.Location!.OriginalString);
        Assert.NotNull(browser.SessionToken);

        using var proxied = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        var seen = await HttpRequestRecord.ReadAsync(proxied);
        Assert.False(string.IsNullOrEmpty(seen.Headers[IdentityHeaders.PersonId].Single()));
        Assert.False(seen.Headers.ContainsKey(IdentityHeaders.UnionId));
        Assert.False(seen.Headers.ContainsKey(IdentityHeaders.OpenId));
        var payload = AssertionPayload(seen.Headers[IdentityHeaders.Assertion].Single()!);
        Assert.Equal("oidc", payload.GetProperty("chn").GetString());
        Assert.Equal("sandbox", payload.GetProperty("prv").GetString());
        Assert.Equal("u-lisi", payload.GetProperty("sbj").GetString());
        Assert.Equal("lisi@partner.example", payload.GetProperty("eml").GetString());
        Assert.False(payload.TryGetProperty("uid", out _));
    }

    [Theory]
    [InlineData("X-Union-Id")]
    [InlineData("x_union_id")]
    [InlineData("X-OpenId")]
    [InlineData("X-AppId")]
    [InlineData("X-Person-Id")]
    [InlineData("X_Person_Id")]
    [InlineData("X-Legacy-User-Id")]
    [InlineData("X-Union-Id-Assertion")]
    [InlineData("x_union_id_assertion")]
    public async Task AnOidcSessionsRequestCarriesOnlyTheGatewaysIdentity(string header)
    {
        var browser = Oidc.Bed.NewBrowser();
        using (var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, "lisi")))
        {
        }

        var person = await PersonIdAsync(browser);
        using var proxied = await browser.GetAsync("/api/me", request => request.Headers.TryAddWithoutValidation(header, "spoofed-value"));

        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        var seen = await HttpRequestRecord.ReadAsync(proxied);
        Assert.DoesNotContain(seen.Headers, received => received.Value.Any(value => value?.Contains("spoofed", StringComparison.Ordinal) == true));
        Assert.Equal(person, seen.Headers[IdentityHeaders.PersonId].Single());
        foreach (var absent in new[] { IdentityHeaders.UnionId, IdentityHeaders.OpenId, IdentityHeaders.AppId, IdentityHeaders.LegacyUserId })
        {
            Assert.False(seen.Headers.ContainsKey(absent), absent + " was sent for an OIDC-only person");
        }

        var payload = AssertionPayload(seen.Headers[IdentityHeaders.Assertion].Single()!);
        Assert.Equal("oidc", payload.GetProperty("chn").GetString());
        Assert.Equal(person, payload.GetProperty("pid").ToString());
    }

    [Fact]
    public async Task TheSameProviderAccountOpensTheSamePersonEveryTime()
    {
        var first = await SignInAsync("zhangsan");
        var second = await SignInAsync("zhangsan");
        var other = await SignInAsync("lisi");
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task ARoleMappedFromTheProviderSatisfiesANamedPolicyAndReachesTheAssertion()
    {
        var browser = Oidc.Bed.NewBrowser();
        using var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, "zhangsan"));
        using var proxied = await browser.GetAsync("/api/me");
        var payload = AssertionPayload((await HttpRequestRecord.ReadAsync(proxied)).Headers[IdentityHeaders.Assertion].Single()!);
        Assert.Contains("staff", payload.GetProperty("rol").EnumerateArray().Select(role => role.GetString()));
    }

    [Fact]
    public async Task ACallbackInAnotherBrowserIsRefusedAsACorrelationFailure()
    {
        var callback = await Oidc.AuthorizeAsync(Oidc.Bed.NewBrowser(), "lisi");
        var attacker = Oidc.Bed.NewBrowser();
        var (status, code) = await ErrorAsync(attacker, callback);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("oidc_correlation_failed", code);
        Assert.Null(attacker.SessionToken);
    }

    [Fact]
    public async Task AReusedCallbackIsRefused()
    {
        var browser = Oidc.Bed.NewBrowser();
        var callback = await Oidc.AuthorizeAsync(browser, "lisi");
        using var first = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var (status, code) = await ErrorAsync(browser, callback);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("oidc_correlation_failed", code);
    }

    [Theory]
    [InlineData("state=[^&]*&?", "")]
    [InlineData("state=([^&]{8})", "state=AAAAAAAA")]
    public async Task ACallbackWithoutStateOrWithAnAlteredOneIsRefused(string pattern, string replacement)
    {
        var browser = Oidc.Bed.NewBrowser();
        var callback = System.Text.RegularExpressions.Regex.Replace(await Oidc.AuthorizeAsync(browser, "lisi"), pattern, replacement);
        var (status, code) = await ErrorAsync(browser, callback);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("oidc_state_invalid", code);
        Assert.Null(browser.SessionToken);
    }

    /// <summary>The nonce cookie missing, or replaced by the one of another sign-in (its ID token's nonce differs).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACallbackWithoutItsOwnNonceCookieIsRefused(bool withAnotherSignInsNonce)
    {
        var browser = Oidc.Bed.NewBrowser();
        var callback = await Oidc.AuthorizeAsync(browser, "lisi");
        foreach (var nonce in NonceCookies(browser))
        {
            browser.Forget(nonce.Key);
        }

        if (withAnotherSignInsNonce)
        {
            var other = Oidc.Bed.NewBrowser();
            await Oidc.AuthorizeAsync(other, "lisi");
            foreach (var (name, value) in NonceCookies(other))
            {
                browser.Plant(name, value);
            }
        }

        var (status, code) = await ErrorAsync(browser, callback);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("oidc_nonce_invalid", code);
        Assert.Null(browser.SessionToken);
    }

    [Fact]
    public async Task AProviderRefusalGetsTheGatewayCode()
    {
        var browser = Oidc.Bed.NewBrowser();
        using var started = await browser.GetAsync("/auth/oidc/sandbox/start?returnUrl=%2Fapi%2Fme");
        var state = System.Web.HttpUtility.ParseQueryString(started.Headers.Location!.Query)["state"];
        var (status, code) = await ErrorAsync(browser, $"/auth/oidc/sandbox/callback?error=access_denied&state={Uri.EscapeDataString(state!)}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("oidc_access_denied", code);
    }

    [Fact]
    public async Task AForeignReturnUrlIsRefusedBeforeTheProviderIsAsked()
    {
        var (status, code) = await ErrorAsync(Oidc.Bed.NewBrowser(), "/auth/oidc/sandbox/start?returnUrl=%2F%2Fevil.example");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("return_url_rejected", code);
    }

    [Fact]
    public async Task AnUnknownProviderIsNotFound()
    {
        var (status, code) = await ErrorAsync(Oidc.Bed.NewBrowser(), "/auth/oidc/nobody/start");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("oidc_provider_not_found", code);
    }

    [Fact]
    public async Task LinkingAProviderAccountToAWeChatPersonMakesBothSignInsOpenThatPerson()
    {
        var bed = Oidc.Bed;
        var browser = bed.NewBrowser();
        var user = bed.NewUser();
        using var weChat = await browser.LogInAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2Fapi%2Fme", user);
        var weChatPerson = await PersonIdAsync(browser);

        var callback = await Oidc.AuthorizeAsync(browser, "zhangsan", "/auth/oidc/sandbox/start?link=1&returnUrl=%2Fapi%2Fme");
        using var linked = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal(weChatPerson, await PersonIdAsync(browser));

        Assert.Equal(weChatPerson, await SignInAsync("zhangsan"));
        var again = bed.NewBrowser();
        using var _ = await again.LogInAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2Fapi%2Fme", user);
        Assert.Equal(weChatPerson, await PersonIdAsync(again));
    }

    [Fact]
    public async Task LoggingOutEndsTheGatewaySessionAndSendsTheBrowserToTheProvidersEndSessionEndpoint()
    {
        var browser = Oidc.Bed.NewBrowser();
        using (var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, "lisi")))
        {
        }

        var token = browser.SessionToken!;
        using var logout = await browser.PostFormAsync("/auth/oidc/sandbox/logout");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var endSession = logout.Headers.Location!;
        Assert.StartsWith(new Uri(Oidc.Issuer, "connect/logout").ToString(), endSession.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(endSession.Query);
        Assert.Equal(LoginTestbed.PublicBaseUrl + "/auth/oidc/sandbox/signed-out", query["post_logout_redirect_uri"]);
        Assert.Null(browser.SessionToken);
        var (afterwards, body) = await Oidc.Bed.GetAsync("/api/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal("session_required", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ACrossSiteLogoutIsRefusedAndTheSessionLives()
    {
        var browser = Oidc.Bed.NewBrowser();
        using (var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, "lisi")))
        {
        }

        using var logout = await browser.PostFormAsync("/auth/oidc/sandbox/logout", request =>
        {
            request.Headers.Remove("Origin");
            request.Headers.Add("Origin", "https://evil.example");
            request.Headers.Add("Sec-Fetch-Site", "cross-site");
        });

        Assert.Equal(HttpStatusCode.Forbidden, logout.StatusCode);
        Assert.Equal("cross_site_request", JsonDocument.Parse(await logout.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.NotNull(browser.SessionToken);
        using var still = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task LinkingWithoutASessionIsRefused()
    {
        var (status, code) = await ErrorAsync(Oidc.Bed.NewBrowser(), "/auth/oidc/sandbox/start?link=1");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("oidc_link_needs_session", code);
    }

    private static List<KeyValuePair<string, string>> NonceCookies(TestBrowser browser)
    {
        var nonces = browser.Cookies.Where(cookie => cookie.Key.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(nonces);
        return nonces;
    }

    private async Task<string> SignInAsync(string user)
    {
        var browser = Oidc.Bed.NewBrowser();
        using var _ = await browser.GetAsync(await Oidc.AuthorizeAsync(browser, user));
        return await PersonIdAsync(browser);
    }

    private static async Task<string> PersonIdAsync(TestBrowser browser)
    {
        using var proxied = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        return (await HttpRequestRecord.ReadAsync(proxied)).Headers[IdentityHeaders.PersonId].Single()!;
    }

    private static async Task<(HttpStatusCode Status, string? Code)> ErrorAsync(TestBrowser browser, string url)
    {
        using var response = await browser.GetAsync(url, request => request.Headers.Accept.ParseAdd("application/json"));
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private static JsonElement AssertionPayload(string jws)
    {
        var part = jws.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }
}
