using Gateway.Tests.Infrastructure;
using Gateway.WeChatSandbox;

namespace Gateway.Tests.Browser;

/// <summary>The sandbox's consent page on a 375×812 phone screen, rendered by a real headless Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SandboxConsentLayoutBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task ConsentPagesFitAPhoneScreenWithoutHorizontalScrolling()
    {
        await using var sandbox = await WeChatSandboxServer.StartAsync();
        await using var browser = await chromium.OpenAsync(ChromiumFixture.WeChatPhone());
        // A long, unbreakable redirect_uri is what pushes a naive layout wider than the screen.
        var redirect = Uri.EscapeDataString("https://h5.example.com/callback/" + new string('x', 120) + "?from=menu&campaign=" + new string('9', 60));
        var pages = new[]
        {
            $"{sandbox.BaseUrl}/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri={redirect}&response_type=code&scope=snsapi_userinfo&state=a",
            $"{sandbox.BaseUrl}/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri={redirect}&response_type=code&scope=snsapi_base&state=a",
            $"{sandbox.BaseUrl}/connect/qrconnect?appid=wx_sandbox_web&redirect_uri={redirect}&response_type=code&scope=snsapi_login&state=a",
            $"{sandbox.BaseUrl}/connect/qrconnect?appid=wx_sandbox_oa&redirect_uri={redirect}&response_type=code&scope=snsapi_login&state=a",
        };

        foreach (var page in pages)
        {
            await browser.GoToAsync(page);
            // Open the request details too: the redirect_uri is inside them.
            await browser.EvaluateAsync<bool>("() => { document.querySelectorAll('details').forEach(d => d.open = true); return true; }");

            var scrollWidth = await browser.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= 375, $"{page} is {scrollWidth} px wide on a 375 px screen");
            // A mobile browser zooms out to fit content wider than the viewport tag allows; the layout must not need it.
            var innerWidth = await browser.EvaluateAsync<int>("window.innerWidth");
            Assert.True(innerWidth == 375, $"{page} made the browser zoom out to a {innerWidth} px wide layout");
            Assert.Contains("微信登录沙箱 · 仅供开发测试，并非微信官方页面", await browser.TextAsync());
        }
    }
}
