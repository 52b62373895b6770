using System.Net;

namespace Gateway.Tests.Login;

/// <summary>docs/security.md §4: every open-redirect trick is refused at the start, before WeChat is involved.</summary>
public sealed class ReturnUrlTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("//evil.example/path")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("https:evil.example")]
    [InlineData("https:/evil.example")]
    [InlineData("http://evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("https://shop.example.com@evil.example/")]
    [InlineData("https://user:pass@shop.example.com/")]
    [InlineData("https://shop.example.com.evil.example/")]
    [InlineData("https://evilshop.example.com/")]
    [InlineData("https://shop.example.com:8443/")]
    [InlineData("http://shop.example.com/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0d%0aSet-Cookie:x=1")]
    [InlineData("/%20/evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/ /evil.example")]
    [InlineData("/%E2%80%AEevil")]
    [InlineData("evil.example")]
    [InlineData("  /path")]
    [InlineData("/é")]
    [InlineData("/orders/é")]
    [InlineData("/／evil.example")]
    [InlineData("/∕evil.example")]
    [InlineData("/⁄evil.example")]
    [InlineData("/＼evil.example")]
    [InlineData("http://127。0。0。1:5080/")]
    [InlineData("https://shop。example。com/")]
    [InlineData("https://gateway.example.test／@evil.example/")]
    public async Task ReturnUrlIsRejected(string returnUrl)
    {
        var response = await _bed.NewBrowser().GetAsync("/auth/wechat/oa/oa/start?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-error-code=\"return_url_rejected\"", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
    }

    /// <summary>The crash once seen: a non-ASCII return URL accepted at the start broke the callback with a 500.</summary>
    [Fact]
    public async Task ANonAsciiReturnUrlIsRefusedAtTheStartAndNoLoginIsStarted()
    {
        var browser = _bed.NewBrowser();

        var response = await browser.GetAsync("/auth/wechat/oa/oa/start?returnUrl=%2F%C3%A9");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("return_url_rejected", await TestBrowser.ErrorCodeAsync(response));
        Assert.DoesNotContain(browser.Cookies.Keys, name => name.Contains("wechat-login", StringComparison.Ordinal));
    }

    /// <summary>Whatever a protected page's URL holds, the gateway's own redirect to the login comes back to exactly it.</summary>
    [Theory]
    [InlineData("/pages/orders/search?q=hello%20world")]
    [InlineData("/pages/a%5Cb?path=C:%5Cx")]
    [InlineData("/pages/x?note=%0d%0aSet-Cookie:%20a=1")]
    [InlineData("/pages/%E4%BD%A0%E5%A5%BD?q=%C3%A9%F0%9F%90%BC")]
    [InlineData("/pages/a%2Fb/c?q=%2520&r=%25")]
    [InlineData("/pages/100%25/%2541")]
    [InlineData("/pages/x?q=%E2%80%AE&r=%22%3C%3E")]
    [InlineData("/pages/x?redirect=//evil.example&u=https://evil.example")]
    [InlineData("/pages/x;jsessionid=1?a=1&a=2#")]
    public async Task TheGatewaysOwnLoginRedirectRoundTrips(string protectedUrl)
    {
        var browser = _bed.NewBrowser();
        var refused = await browser.GetAsync(protectedUrl, request => request.Headers.Accept.ParseAdd("text/html"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var sent = refused.RequestMessage!.RequestUri!.PathAndQuery;

        var callback = await browser.LogInAsync(refused.Headers.Location!.OriginalString, "alice");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(sent, callback.Headers.Location!.OriginalString);
        var landed = await browser.GetAsync(callback.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
    }

    [Fact]
    public async Task AnOverlongReturnUrlIsRejected()
    {
        var response = await _bed.NewBrowser().GetAsync("/auth/wechat/oa/oa/start?returnUrl=/" + new string('a', 2048));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-error-code=\"return_url_rejected\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/orders/42?tab=items#top", "/orders/42?tab=items#top")]
    [InlineData("https://shop.example.com/cart", "https://shop.example.com/cart")]
    [InlineData("HTTPS://SHOP.EXAMPLE.COM/cart", "https://shop.example.com/cart")]
    [InlineData("https://shop.example.com:443/x", "https://shop.example.com/x")]
    [InlineData("https://gateway.example.test/me", "https://gateway.example.test/me")]
    public async Task AllowedReturnUrlIsWhereTheLoginEnds(string returnUrl, string expected)
    {
        var browser = _bed.NewBrowser();

        var callback = await browser.LogInAsync("/auth/wechat/oa/oa/start?returnUrl=" + Uri.EscapeDataString(returnUrl), "alice");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(expected, callback.Headers.Location!.OriginalString);
    }
}
