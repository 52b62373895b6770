using System.Net;

namespace Gateway.Tests.Login;

/// <summary>THREATS 4: every open-redirect trick is refused at the start, before WeChat is involved.</summary>
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
    public async Task ReturnUrlIsRejected(string returnUrl)
    {
        var response = await _bed.NewBrowser().GetAsync("/auth/wechat/oa/oa/start?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-error-code=\"return_url_rejected\"", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
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
