using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Browser;

/// <summary>
/// A failed browser login as a WeChat user sees it on a phone (375×812, WeChat's in-app user agent), on the
/// embedded default: the sandbox's consent page refused, then the gateway's page, in Chinese unless the browser
/// asks for English, and a "try again" that finishes the same login.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LoginErrorPageBrowserTests(ChromiumFixture chromium)
{
    private const string ReturnPath = "/demo/orders/mine?page=1";

    [Fact]
    public async Task TheRefusalPageIsInChineseAndFitsAPhoneScreen()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync(ChromiumFixture.WeChatPhone());

        await RefuseAsync(browser, gateway);

        Assert.Equal("zh-CN", await browser.EvaluateAsync<string>("document.documentElement.lang"));
        Assert.Equal("登录未完成", await browser.Page.TitleAsync());
        Assert.Equal("你已拒绝微信授权，未能登录。", await browser.Page.InnerTextAsync("#message"));
        Assert.Equal("重新登录", await browser.Page.InnerTextAsync("#retry"));
        Assert.Equal("authorization_refused", await browser.Page.InnerTextAsync("#code"));
        await AssertFitsAsync(browser);
        await browser.Page.ScreenshotAsync(new() { Path = Screenshot("login-refusal-zh-CN.png"), FullPage = true });
    }

    [Fact]
    public async Task TheRefusalPageIsInEnglishWhenTheBrowserAsksForEnglish()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync(ChromiumFixture.WeChatPhone(acceptLanguage: "en-US,en;q=0.9"));

        await RefuseAsync(browser, gateway);

        Assert.Equal("en", await browser.EvaluateAsync<string>("document.documentElement.lang"));
        Assert.Equal("Sign-in did not complete", await browser.Page.TitleAsync());
        Assert.Equal("You did not allow WeChat sign-in.", await browser.Page.InnerTextAsync("#message"));
        Assert.Equal("Try again", await browser.Page.InnerTextAsync("#retry"));
        await AssertFitsAsync(browser);
        await browser.Page.ScreenshotAsync(new() { Path = Screenshot("login-refusal-en.png"), FullPage = true });
    }

    [Fact]
    public async Task TryAgainAfterARefusalFinishesTheSameLoginOnTheOriginalReturnUrl()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync(ChromiumFixture.WeChatPhone());
        await RefuseAsync(browser, gateway);

        await browser.ClickAsync("retry");
        var consent = await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        // The same scope as the first attempt: it was kept with the state, not in the link.
        Assert.Contains("scope=snsapi_userinfo", consent);
        await browser.ClickAsync("user-xiaoming");

        var landed = await browser.WaitForLocationAsync(url => url.StartsWith($"{gateway.PublicUrl}demo/orders/mine", StringComparison.Ordinal));
        Assert.Equal($"{gateway.PublicUrl}demo/orders/mine?page=1", landed);
        using var echo = JsonDocument.Parse(await browser.TextAsync());
        Assert.Equal(JsonValueKind.Object, echo.RootElement.GetProperty("verifiedIdentity").ValueKind);
    }

    [Fact]
    public async Task AConfiguredFrontEndErrorUrlReceivesTheCodeAndTheReturnUrl()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync(new Dictionary<string, string>
        {
            ["Login:Pages:ErrorRedirectUrl"] = "/demo/public/login-error?from=gateway",
        });
        await using var browser = await chromium.OpenAsync(ChromiumFixture.WeChatPhone());

        await RefuseAsync(browser, gateway, waitForCallback: false);

        var landed = await browser.WaitForLocationAsync(url => url.StartsWith($"{gateway.PublicUrl}demo/public/login-error", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(landed).Query);
        Assert.Equal("gateway", query["from"]);
        Assert.Equal("authorization_refused", query["code"]);
        Assert.Equal(ReturnPath, query["returnUrl"]);
        Assert.StartsWith($"{gateway.PublicUrl}auth/wechat/oa/oa/start?retry=", query["retryUrl"], StringComparison.Ordinal);

        // The front end's own "try again" button is that URL: the same login, back to the original page.
        await browser.GoToAsync(query["retryUrl"]!);
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("user-alice");
        Assert.Equal($"{gateway.PublicUrl}demo/orders/mine?page=1",
            await browser.WaitForLocationAsync(url => url.StartsWith($"{gateway.PublicUrl}demo/orders/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ASnapshotPageVisitorIsToldHowToOpenTheFullPage()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync(ChromiumFixture.WeChatPhone());

        await browser.GoToAsync($"{gateway.PublicUrl}auth/wechat/oa/oa/start?scope=snsapi_base&returnUrl={Uri.EscapeDataString(ReturnPath)}");
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("user-snapshot");
        await browser.WaitForLocationAsync(url => url.Contains("/auth/wechat/oa/oa/callback"));

        Assert.Equal("请打开完整页面后登录", await browser.Page.TitleAsync());
        Assert.Contains("使用完整服务", await browser.Page.InnerTextAsync("#message"));
        Assert.Equal("snapshot_user", await browser.Page.InnerTextAsync("#code"));
        await AssertFitsAsync(browser);
    }

    private static async Task RefuseAsync(BrowserPage browser, EmbeddedGateway gateway, bool waitForCallback = true)
    {
        await browser.GoToAsync($"{gateway.PublicUrl}auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl={Uri.EscapeDataString(ReturnPath)}");
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("refuse");
        if (waitForCallback)
        {
            await browser.WaitForLocationAsync(url => url.Contains("/auth/wechat/oa/oa/callback"));
        }
    }

    private static async Task AssertFitsAsync(BrowserPage browser)
    {
        var scrollWidth = await browser.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 375, $"the page is {scrollWidth} px wide on a 375 px screen");
        // Without a viewport tag a phone lays the page out 980 px wide and zooms out.
        Assert.Equal(375, await browser.EvaluateAsync<int>("window.innerWidth"));
    }

    /// <summary>Kept beside the test assembly for a person to look at; nothing asserts on the picture.</summary>
    private static string Screenshot(string name) => Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, name);
}
