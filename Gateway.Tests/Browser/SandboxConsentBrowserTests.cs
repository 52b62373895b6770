using Gateway.Tests.Infrastructure;
using Gateway.WeChatSandbox;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Tests.Browser;

/// <summary>The sandbox's consent page, clicked through in a real headless Chromium as a person would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SandboxConsentBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task PickingATestUserRedirectsBackWithACodeAndTheState()
    {
        await using var sandbox = await WeChatSandboxServer.StartAsync();
        await using var destination = await TestDestination.StartAsync();
        await using var browser = await chromium.OpenAsync();
        var callback = new Uri(destination.Url, "/callback");

        await browser.GoToAsync(AuthorizeUrl(sandbox, callback, "snsapi_userinfo", "abc123"));
        await browser.WaitForLocationAsync(url => url.Contains("/connect/oauth2/authorize"));
        await browser.ClickAsync("user-xiaoming");

        var landed = new Uri(await browser.WaitForLocationAsync(url => url.StartsWith(callback.ToString())));
        var query = QueryHelpers.ParseQuery(landed.Query);
        Assert.Equal("abc123", query["state"]);
        Assert.False(string.IsNullOrEmpty(query["code"]), "the redirect carries a code");
    }

    [Fact]
    public async Task RefusingRedirectsBackWithTheStateOnly()
    {
        await using var sandbox = await WeChatSandboxServer.StartAsync();
        await using var destination = await TestDestination.StartAsync();
        await using var browser = await chromium.OpenAsync();
        var callback = new Uri(destination.Url, "/callback");

        await browser.GoToAsync(AuthorizeUrl(sandbox, callback, "snsapi_base", "xyz789"));
        await browser.WaitForLocationAsync(url => url.Contains("/connect/oauth2/authorize"));
        await browser.ClickAsync("refuse");

        var landed = new Uri(await browser.WaitForLocationAsync(url => url.StartsWith(callback.ToString())));
        var query = QueryHelpers.ParseQuery(landed.Query);
        Assert.Equal("xyz789", query["state"]);
        Assert.False(query.ContainsKey("code"));
    }

    private static string AuthorizeUrl(WeChatSandboxServer sandbox, Uri redirect, string scope, string state) =>
        $"{sandbox.BaseUrl}/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri={Uri.EscapeDataString(redirect.ToString())}" +
        $"&response_type=code&scope={scope}&state={state}#wechat_redirect";
}
