using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Browser;

/// <summary>
/// A real browser opens a required page whose URL holds an encoded space and non-ASCII characters, goes through
/// the sandbox login, and lands back on exactly that URL, which the downstream receives unchanged.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReturnUrlBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ARequiredPageWithEncodedSpacesAndChineseComesBackExactlyAfterLogin()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync();
        // The browser percent-encodes the raw characters itself, as it does for anything typed or linked.
        var expected = $"{gateway.PublicUrl}demo/orders/%E5%8C%97%E4%BA%AC?q=hello%20world&tag=%E4%BD%A0%E5%A5%BD&name=Jos%C3%A9";

        await browser.GoToAsync($"{gateway.PublicUrl}demo/orders/北京?q=hello%20world&tag=你好&name=José");
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("user-alice");

        var landed = await browser.WaitForLocationAsync(url => url.StartsWith($"{gateway.PublicUrl}demo/orders/", StringComparison.Ordinal));
        Assert.Equal(expected, landed);
        using var echo = JsonDocument.Parse(await browser.TextAsync());
        var query = echo.RootElement.EnumerateObject().First(p => p.NameEquals("query")).Value.GetString();
        Assert.Equal("?q=hello%20world&tag=%E4%BD%A0%E5%A5%BD&name=Jos%C3%A9", query);
    }
}
