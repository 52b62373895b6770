using System.Net;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Login;

/// <summary>
/// "Try again" on a failed browser login (<c>start?retry=</c>) restarts the flow it failed in: the scope and
/// return URL come from the server, and a retry link cannot be edited into another flow.
/// </summary>
public sealed partial class LoginRetryTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    [Fact]
    public async Task TheRetryLinkStartsTheSameScopeAndReturnsToTheSameUrl()
    {
        var browser = _bed.NewBrowser();
        var retry = await RefusedRetryLinkAsync(browser, "/auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2Forders%3Fpage%3D2");

        var restarted = await browser.GetAsync(retry);
        Assert.Contains("scope=snsapi_userinfo", restarted.Headers.Location!.ToString());
        var callback = await browser.LogInAsync(retry, "xiaoming");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/orders?page=2", callback.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("&returnUrl=%2Fadmin")]
    [InlineData("&scope=snsapi_base")]
    public async Task ARetryLinkWithItsOwnScopeOrReturnUrlIsRefused(string edit)
    {
        var browser = _bed.NewBrowser();
        var retry = await RefusedRetryLinkAsync(browser, "/auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2Forders");

        var response = await browser.GetAsync(retry + edit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await TestBrowser.ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("/auth/wechat/oa/oa/start?retry=NoSuchRetryId0000000000000000000")]
    [InlineData("/auth/wechat/oa/oa/start?retry=not-well-formed!")]
    public async Task AnUnknownRetryIdIsStateInvalid(string path)
    {
        var response = await _bed.NewBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("state_invalid", await TestBrowser.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ARetryIdOfOneAppDoesNotStartAnother()
    {
        var browser = _bed.NewBrowser();
        var retry = await RefusedRetryLinkAsync(browser, "/auth/wechat/oa/oa/start?scope=snsapi_base&returnUrl=%2Forders");

        var response = await browser.GetAsync(retry.Replace("/auth/wechat/oa/oa/", "/auth/wechat/web/web/", StringComparison.Ordinal));

        Assert.Equal("state_invalid", await TestBrowser.ErrorCodeAsync(response));
    }

    private static async Task<string> RefusedRetryLinkAsync(TestBrowser browser, string start)
    {
        var refused = await browser.GetAsync(await browser.AuthorizeAsync(start, user: null));
        Assert.Equal("authorization_refused", await TestBrowser.ErrorCodeAsync(refused));
        var link = RetryLink().Match(await refused.Content.ReadAsStringAsync());
        Assert.True(link.Success);
        return link.Groups[1].Value;
    }

    [GeneratedRegex("id=\"retry\" class=\"retry\" href=\"([^\"]+)\"")]
    private static partial Regex RetryLink();
}
