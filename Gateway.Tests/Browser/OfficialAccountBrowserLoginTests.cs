using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Browser;

/// <summary>
/// A person in a real (headless Chromium) browser signs in through the Official Account flow on the embedded
/// default — the gateway's start endpoint, the sandbox's consent page, the callback — and lands on the return URL
/// signed in, where the demo downstream shows the unionid it verified from the gateway's signed assertion.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OfficialAccountBrowserLoginTests(ChromiumFixture chromium)
{
    [Theory]
    [InlineData("snsapi_userinfo")]
    [InlineData("snsapi_base")]
    public async Task ClickingThroughTheConsentPageLandsSignedInOnTheReturnUrl(string scope)
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync();
        // snsapi_base reveals the unionid only to an account the user once granted snsapi_userinfo; this one never was.
        var expectedUnionId = scope == "snsapi_base" ? null : await SandboxUnionIdAsync(gateway, "xiaoming", "wx_sandbox_oa");

        await browser.GoToAsync($"{gateway.PublicUrl}auth/wechat/oa/oa/start?scope={scope}&returnUrl=%2Fdemo%2Forders%2Fmine%3Fpage%3D1");
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("user-xiaoming");

        var landed = await browser.WaitForLocationAsync(
            url => url.StartsWith($"{gateway.PublicUrl}demo/orders/mine"));
        Assert.Equal($"{gateway.PublicUrl}demo/orders/mine?page=1", landed);

        // /demo/orders is a "required" route: reaching it at all means the session cookie was accepted.
        using var echo = JsonDocument.Parse(await browser.TextAsync());
        var verified = Property(echo.RootElement, "verifiedIdentity");
        Assert.Equal(JsonValueKind.Object, verified.ValueKind);
        var unionId = verified.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "unionId", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Equal(expectedUnionId, unionId.ValueKind == JsonValueKind.String ? unionId.GetString() : null);
        Assert.Equal("demo", Property(verified, "audience").GetString());
        Assert.Equal("/demo/orders/mine", Property(echo.RootElement, "path").GetString());

        // The browser's session cookie never reaches the downstream service.
        var headers = Property(echo.RootElement, "headers");
        Assert.DoesNotContain("wgw", headers.TryGetProperty("Cookie", out var cookie) ? cookie.GetString() ?? "" : "");
    }

    [Fact]
    public async Task OpeningARequiredPageWithoutASessionGoesThroughLoginAndBack()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync();

        // yarp.json gives the demo's required route a LoginPath into the Official Account flow.
        await browser.GoToAsync($"{gateway.PublicUrl}demo/orders/42?tab=items");
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("user-alice");

        var landed = await browser.WaitForLocationAsync(url => url.StartsWith($"{gateway.PublicUrl}demo/orders/42"));
        Assert.Equal($"{gateway.PublicUrl}demo/orders/42?tab=items", landed);
        using var echo = JsonDocument.Parse(await browser.TextAsync());
        Assert.Equal(await SandboxUnionIdAsync(gateway, "alice", "wx_sandbox_oa"),
            Property(Property(echo.RootElement, "verifiedIdentity"), "unionId").GetString());
    }

    [Fact]
    public async Task RefusingOnTheConsentPageShowsAClearPageAndNoSession()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        await using var browser = await chromium.OpenAsync();

        await browser.GoToAsync($"{gateway.PublicUrl}auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2Fdemo%2Forders%2Fmine");
        await browser.WaitForLocationAsync(url => url.Contains("/_sandbox/wechat/connect/oauth2/authorize"));
        await browser.ClickAsync("refuse");

        await browser.WaitForLocationAsync(url => url.Contains("/auth/wechat/oa/oa/callback"));
        Assert.Contains("authorization_refused", await browser.HtmlAsync());

        await browser.GoToAsync($"{gateway.PublicUrl}auth/session");
        await browser.WaitForLocationAsync(url => url.EndsWith("/auth/session"));
        Assert.DoesNotContain("unionId", await browser.TextAsync());
    }

    private static async Task<string> SandboxUnionIdAsync(EmbeddedGateway gateway, string user, string appId)
    {
        using var client = new HttpClient { BaseAddress = gateway.PublicUrl };
        using var users = JsonDocument.Parse(await client.GetStringAsync("/_sandbox/wechat/sandbox/users"));
        var entry = users.RootElement.EnumerateArray().Single(u => u.GetProperty("key").GetString() == user);
        return entry.GetProperty("unionids").GetProperty(appId).GetString()!;
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
