using System.Net;

namespace Gateway.Tests.Login;

/// <summary>
/// Login CSRF through cookies another site can plant (a sibling subdomain sets cookies for the parent domain, but
/// never a <c>__Host-</c> one): the correlation nonce is the gateway's own, fresh at every start, and both the
/// correlation and the session cookie are recognised only under their exact names.
/// </summary>
public sealed class LoginCsrfTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private const string OaStart = "/auth/wechat/oa/oa/start";
    private const string CorrelationCookie = "__Host-wgw-wechat-login";

    private readonly LoginTestbed _bed = fixture.Bed;

    [Fact]
    public async Task OverHttpsTheCorrelationCookieIsAHostPrefixedCookieForTheWholeSite()
    {
        var response = await _bed.NewBrowser().GetAsync(OaStart);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.Contains("wgw-wechat-login=", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith(CorrelationCookie + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/;", cookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ANonceAlreadyInTheBrowserIsReplacedAtEveryStart()
    {
        var browser = _bed.NewBrowser();
        var planted = new string('A', 43);
        browser.Plant(CorrelationCookie, planted);

        await browser.GetAsync(OaStart);
        var first = browser.Cookies[CorrelationCookie];
        await browser.GetAsync(OaStart);

        Assert.NotEqual(planted, first);
        Assert.NotEqual(first, browser.Cookies[CorrelationCookie]);
    }

    [Theory]
    [InlineData("wgw-wechat-login")]
    [InlineData("__host-wgw-wechat-login")]
    [InlineData("__HOST-wgw-wechat-login")]
    public async Task AnAttackersNoncePlantedUnderALookAlikeNameDoesNotSignTheVictimInAsTheAttacker(string plantedName)
    {
        var attacker = _bed.NewBrowser();
        var callbackUrl = await attacker.AuthorizeAsync(OaStart, "xiaoming");
        var attackerNonce = attacker.Cookies.Single(c => c.Key.EndsWith("wgw-wechat-login", StringComparison.OrdinalIgnoreCase)).Value;
        var victim = _bed.NewBrowser();
        victim.Plant(plantedName, attackerNonce);

        var forced = await victim.GetAsync(callbackUrl);

        Assert.Equal(HttpStatusCode.BadRequest, forced.StatusCode);
        Assert.Equal("state_mismatch", await TestBrowser.ErrorCodeAsync(forced));
        Assert.Null(victim.SessionToken);
    }

    [Theory]
    [InlineData("__host-wgw-session")]
    [InlineData("__HOST-WGW-SESSION")]
    [InlineData("wgw-session")]
    public async Task TheSessionCookieUnderAnyOtherSpellingIsNoSession(string name)
    {
        var browser = _bed.NewBrowser();
        await browser.LogInAsync(OaStart, "alice");
        var token = browser.SessionToken!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
        request.Headers.Add("Cookie", $"{name}={token}");
        request.Headers.Accept.ParseAdd("application/json");

        var (response, body) = await _bed.SendAsync(request);

        Assert.Equal((HttpStatusCode.Unauthorized, "session_required"), (response.StatusCode, body.GetProperty("code").GetString()));
        Assert.DoesNotContain(_bed.Destination.Received, r => r.Path == "/api/orders");
    }

    [Fact]
    public async Task OverPlainHttpTheCorrelationCookieHasNoPrefixBrowsersWouldRefuse()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Login:PublicBaseUrl"] = "http://gateway.example.test" });

        var response = await bed.NewBrowser().GetAsync(OaStart);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.Contains("wgw-wechat-login=", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("wgw-wechat-login=", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
