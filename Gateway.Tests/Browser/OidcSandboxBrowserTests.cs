using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Browser;

/// <summary>
/// On the embedded default, a person in headless Chromium starts an OpenID Connect sign-in, fills in the sandbox
/// provider's Chinese login page, and lands on the return URL signed in, where the demo downstream shows the
/// identity it verified: a person id and no unionid.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcSandboxBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task SigningInAtTheSandboxProviderLandsSignedInOnTheReturnUrl()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync();

        await browser.GoToAsync($"{gateway.PublicUrl}auth/oidc/sandbox/start?returnUrl=%2Fdemo%2Forders%2Fmine");
        await browser.WaitForLocationAsync(url => url.Contains("/account/login"));
        await browser.Page.Locator("#username").FillAsync("zhangsan");
        await browser.Page.Locator("#password").FillAsync("sandbox");
        await browser.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "登录" }).ClickAsync();

        var landed = await browser.WaitForLocationAsync(url => url.StartsWith($"{gateway.PublicUrl}demo/orders/mine"));
        Assert.Equal($"{gateway.PublicUrl}demo/orders/mine", landed);
        using var echo = JsonDocument.Parse(await browser.TextAsync());
        var verified = echo.RootElement.GetProperty("verifiedIdentity");
        Assert.Equal("oidc", verified.GetProperty("channel").GetString());
        Assert.Equal("sandbox", verified.GetProperty("provider").GetString());
        Assert.Equal("u-zhangsan", verified.GetProperty("subject").GetString());
        Assert.Equal("zhangsan@example.com", verified.GetProperty("email").GetString());
        Assert.Contains("staff", verified.GetProperty("roles").EnumerateArray().Select(role => role.GetString()));
        Assert.Equal(JsonValueKind.Number, verified.GetProperty("personId").ValueKind);
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("unionId").ValueKind);
        Assert.False(echo.RootElement.GetProperty("headers").TryGetProperty("X-Union-Id", out _));
    }
}
