using System.Net;
using System.Text.RegularExpressions;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>connect/oauth2/authorize and connect/qrconnect: the page a browser clicks through, and its validation.</summary>
public sealed class ConsentPageTests : IAsyncLifetime
{
    private static readonly string UserInfoRequest =
        "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_userinfo", "a");

    private const string BrandedIcon = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\"><script>alert(1)</script>";

    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync(o =>
    {
        o.Apps.Add(new() { AppId = "wx_restricted", Secret = "s", Kind = Gateway.WeChatSandbox.SandboxAppKind.OfficialAccount, Name = "<b>Restricted</b>", RedirectHosts = ["h5.example.com"] });
        o.Apps.Add(new() { AppId = "wx_branded", Secret = "s", Kind = Gateway.WeChatSandbox.SandboxAppKind.OfficialAccount, Name = "品牌公众号", Icon = BrandedIcon });
        o.Apps.AddRange(Gateway.WeChatSandbox.WeChatSandboxDefaults.Apps());
    });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task AuthorizePageOffersEveryTestUserAndARefuseButton()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url("/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_userinfo", "abc")));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var user in new[] { "xiaoming", "xiaohong", "alice", "snapshot" })
        {
            Assert.Contains($"id=\"user-{user}\"", page);
        }

        Assert.Contains("id=\"refuse\"", page);
        Assert.Contains("小明🐼", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task ChoosingAUserRedirectsToTheRedirectUriWithCodeAndState()
    {
        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb?from=menu", "snsapi_base", "St4te"),
            "user-xiaoming");

        Assert.Equal("https://h5.example.com/cb", callback.GetLeftPart(UriPartial.Path));
        var query = Query(callback);
        Assert.Equal("menu", query["from"]);
        Assert.Equal("St4te", query["state"]);
        Assert.Matches("^[A-Za-z0-9]{32}$", query["code"]!);
    }

    [Fact]
    public async Task RefusingRedirectsWithStateOnly()
    {
        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_userinfo", "abc123"),
            "refuse");

        Assert.Equal("https://h5.example.com/cb?state=abc123", callback.AbsoluteUri);
    }

    [Fact]
    public async Task WeChatRedirectSuffixSentInsideTheQueryIsIgnored()
    {
        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", "abc%23wechat_redirect"),
            "user-alice");

        Assert.Equal("abc", Query(callback)["state"]);
    }

    [Fact]
    public async Task WeChatRedirectFragmentIsTolerated()
    {
        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", "abc") + "#wechat_redirect",
            "user-alice");

        Assert.Equal("abc", Query(callback)["state"]);
    }

    [Fact]
    public async Task StateOf128BytesIsAccepted()
    {
        var state = new string('a', 128);
        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", state), "user-alice");

        Assert.Equal(state, Query(callback)["state"]);
    }

    [Fact]
    public async Task QrConnectIssuesASnsapiLoginCodeForAWebsiteApp()
    {
        var code = await _sandbox.AuthorizeAsync(Website, "xiaohong", "snsapi_login", "/connect/qrconnect");

        var token = await _sandbox.ExchangeOAuthCodeAsync(Website, code);

        Assert.Equal("snsapi_login", (string)token["scope"]!);
        Assert.Equal(_sandbox.Server.OpenIdOf(Website, "xiaohong"), (string)token["openid"]!);
    }

    [Theory]
    [InlineData("/connect/oauth2/authorize", OfficialAccount, "snsapi_userinfo", "申请获取以下权限", "获取你的昵称、头像")]
    [InlineData("/connect/oauth2/authorize", OfficialAccount, "snsapi_base", "静默授权", "获取你的身份标识（openid），不获取昵称、头像")]
    [InlineData("/connect/qrconnect", Website, "snsapi_login", "使用微信扫一扫登录", "使用你的微信账号登录该网站")]
    public async Task ConsentPageWordsTheScopeAsWeChatDoes(string path, string appId, string scope, string heading, string permission)
    {
        var page = await ConsentPageAsync(path + AuthorizeQuery(appId, "https://h5.example.com/cb", scope, "a"));

        Assert.Contains($"<h2 id=\"scope-heading\">{heading}</h2>", page);
        Assert.Contains($"<li id=\"scope-text\">{permission}</li>", page);
        Assert.Contains($"<code id=\"scope\">{scope}</code>", page);
    }

    [Fact]
    public async Task SilentScopePageExplainsThatWeChatWouldShowNoPage()
    {
        var page = await ConsentPageAsync("/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", "a"));

        Assert.Contains("真实微信中 snsapi_base 不显示此页面", page);
    }

    [Fact]
    public async Task ConsentPageShowsTheAppsNameAndAnInlineIcon()
    {
        var page = await ConsentPageAsync(UserInfoRequest);

        Assert.Matches("<header class=\"app\"><svg [^>]*>.*</svg><h1 id=\"app-name\">Sandbox Official Account</h1></header>", page);
        Assert.DoesNotContain("<img", page);
        Assert.DoesNotContain("thirdwx.qlogo.cn", page);
    }

    [Fact]
    public async Task ConfiguredIconIsShownInlineAndCannotBreakOutOfItsAttribute()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(
            "/connect/oauth2/authorize" + AuthorizeQuery("wx_branded", "https://h5.example.com/cb", "snsapi_userinfo", "a")));
        var raw = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>", raw);
        var icon = Regex.Match(raw, "<header class=\"app\"><img src=\"([^\"]*)\" width=\"36\" height=\"36\" alt=\"\"><h1 id=\"app-name\">");
        Assert.True(icon.Success, "the configured icon is the header's image");
        Assert.Equal(BrandedIcon, WebUtility.HtmlDecode(icon.Groups[1].Value));
        Assert.Contains("品牌公众号", WebUtility.HtmlDecode(raw));
    }

    [Fact]
    public async Task ConsentPageSaysItIsASandboxAndNotWeChat()
    {
        var page = await ConsentPageAsync(UserInfoRequest);

        Assert.Contains("<p class=\"sandbox-banner\" id=\"sandbox-banner\" role=\"note\">微信登录沙箱 · 仅供开发测试，并非微信官方页面</p>", page);
    }

    [Fact]
    public async Task ConsentPageIsAChinesePhonePage()
    {
        var page = await ConsentPageAsync("/connect/qrconnect" + AuthorizeQuery(Website, "https://h5.example.com/cb", "snsapi_login", "a"));

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">", page);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page);
        Assert.Contains("\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\"", page);
    }

    [Fact]
    public async Task EveryTestUserIsAnAccountWithAvatarAndNickname()
    {
        var page = await ConsentPageAsync(UserInfoRequest);

        foreach (var (key, nickname) in new[] { ("xiaoming", "小明🐼"), ("xiaohong", "小红"), ("alice", "Alice"), ("snapshot", "微信用户") })
        {
            var row = Regex.Match(page, $"<a class=\"account[^\"]*\" id=\"user-{key}\" href=\"[^\"]+\">(.*?)</a>");
            Assert.True(row.Success, $"no account row for {key}");
            Assert.Contains($"<text x=\"20\" y=\"27\" font-size=\"20\" text-anchor=\"middle\" fill=\"#fff\">{nickname[..1]}</text>", row.Groups[1].Value);
            Assert.Contains($"<span class=\"nickname\">{nickname}</span>", row.Groups[1].Value);
        }

        Assert.Contains("snapshot · 快照页虚拟账号", page);
    }

    [Fact]
    public async Task ConfiguredTestUsersAreTheAccountsOffered()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.Users.Add(new() { Key = "laowang", Nickname = "老王" }));

        using var response = await sandbox.Http.GetAsync(sandbox.Url(UserInfoRequest));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("<span class=\"nickname\">老王</span>", page);
        Assert.Single(Regex.Matches(page, "<a class=\"account"));
    }

    [Fact]
    public async Task AllowAgreesAsThePreselectedFirstAccount()
    {
        var page = await ConsentPageAsync(UserInfoRequest);
        Assert.Contains("<a class=\"account selected\" id=\"user-xiaoming\"", page);
        Assert.Contains("允许即以「小明🐼」的身份授权", page);

        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_userinfo", "St4te"), "allow");
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, Query(callback)["code"]!);

        Assert.Equal("St4te", Query(callback)["state"]);
        Assert.Equal(_sandbox.Server.OpenIdOf(OfficialAccount, "xiaoming"), (string)token["openid"]!);
    }

    [Fact]
    public async Task TappingAnAccountAgreesAsThatUser()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "alice", "snsapi_userinfo");

        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code);

        Assert.Equal(_sandbox.Server.OpenIdOf(OfficialAccount, "alice"), (string)token["openid"]!);
    }

    [Fact]
    public async Task ButtonsReadRefuseAndAllow()
    {
        var page = await ConsentPageAsync(UserInfoRequest);

        Assert.Matches("<a class=\"button refuse\" id=\"refuse\" href=\"[^\"]+\">拒绝</a><a class=\"button allow\" id=\"allow\" href=\"[^\"]+\">允许</a>", page);
    }

    [Fact]
    public async Task ErrorPageIsAChineseSandboxPageKeepingTheDeveloperMessage()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_login", "a")));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">", page);
        Assert.Contains("<h2>授权请求有误</h2>", page);
        Assert.Contains("微信登录沙箱 · 仅供开发测试，并非微信官方页面", page);
        Assert.Contains("has no permission for scope 'snsapi_login' (WeChat error 10005)", page);
    }

    [Theory]
    [InlineData("/connect/oauth2/authorize?redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base&state=a", "missing_appid")]
    [InlineData("/connect/oauth2/authorize?appid=wx_nobody&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base&state=a", "invalid_appid")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_web&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base&state=a", "invalid_appid")]
    [InlineData("/connect/qrconnect?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_login&state=a", "invalid_appid")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=token&scope=snsapi_base&state=a", "invalid_response_type")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fh5.example.com%2F&scope=snsapi_base&state=a", "invalid_response_type")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&state=a", "missing_scope")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_login&state=a", "invalid_scope")]
    [InlineData("/connect/qrconnect?appid=wx_sandbox_web&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_userinfo&state=a", "invalid_scope")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&response_type=code&scope=snsapi_base&state=a", "missing_redirect_uri")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=%2Fcb&response_type=code&scope=snsapi_base&state=a", "invalid_redirect_uri")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=javascript%3Aalert(1)&response_type=code&scope=snsapi_base&state=a", "invalid_redirect_uri")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=ftp%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base&state=a", "invalid_redirect_uri")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fgood%40evil.example%2F&response_type=code&scope=snsapi_base&state=a", "invalid_redirect_uri")]
    [InlineData("/connect/oauth2/authorize?appid=wx_restricted&redirect_uri=https%3A%2F%2Fevil.example%2F&response_type=code&scope=snsapi_base&state=a", "redirect_uri_mismatch")]
    [InlineData("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=https%3A%2F%2Fh5.example.com%2F&response_type=code&scope=snsapi_base&state=a-b", "invalid_state")]
    public async Task InvalidAuthorizationRequestsGetAnErrorPageNamingTheProblem(string pathAndQuery, string code)
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(pathAndQuery));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"id=\"error\" data-code=\"{code}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StateLongerThan128BytesIsRejected()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", new string('a', 129))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"invalid_state\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConfiguredRedirectHostIsAccepted()
    {
        var callback = await _sandbox.FollowConsentAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery("wx_restricted", "https://H5.example.com/cb", "snsapi_base", "a"), "user-alice");

        Assert.Equal("h5.example.com", callback.Host);
    }

    [Fact]
    public async Task EchoedValuesAreHtmlEncoded()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(
            "/connect/oauth2/authorize" + AuthorizeQuery("wx_restricted", "https://h5.example.com/cb?q=\"><script>alert(1)</script>", "snsapi_base", "a")));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<script>", page);
        Assert.DoesNotContain("<b>Restricted", page);
        Assert.Contains("&lt;b&gt;Restricted", page);
    }

    [Fact]
    public async Task DecisionForAnUnknownUserIsRejected()
    {
        var link = await _sandbox.ConsentLinkAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", "a"), "user-alice");

        using var response = await _sandbox.Http.GetAsync(link.AbsoluteUri.Replace("user=alice", "user=mallory"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-code=\"unknown_user\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TamperedDecisionIsValidatedAgain()
    {
        var link = await _sandbox.ConsentLinkAsync(
            "/connect/oauth2/authorize" + AuthorizeQuery(OfficialAccount, "https://h5.example.com/cb", "snsapi_base", "a"), "user-alice");

        using var response = await _sandbox.Http.GetAsync(link.AbsoluteUri.Replace("https%3A%2F%2Fh5.example.com", "javascript%3A"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"invalid_redirect_uri\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IndexPageLinksEachWebAppsConsentPageBackToTheGivenCallback()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url("/sandbox/?redirect_uri=" + Uri.EscapeDataString("http://localhost:8080/cb")));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/connect/oauth2/authorize?appid=wx_sandbox_oa&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb&response_type=code&scope=snsapi_userinfo&state=sandbox#wechat_redirect", page);
        Assert.Contains("/connect/qrconnect?appid=wx_sandbox_web&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb&response_type=code&scope=snsapi_login", page);
        Assert.Contains("小明🐼", page);
    }

    [Fact]
    public async Task IndexPageIsAChinesePhonePageMarkedAsASandbox()
    {
        var page = await ConsentPageAsync("/sandbox/");

        Assert.Contains("<html lang=\"zh-CN\">", page);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page);
        Assert.Contains("微信登录沙箱 · 仅供开发测试，并非微信官方页面", page);
        Assert.Contains("测试应用", page);
        Assert.Contains("快照页虚拟账号", page);
    }

    /// <summary>The consent page's HTML with character references decoded, so assertions read as the text a user sees.</summary>
    private async Task<string> ConsentPageAsync(string pathAndQuery)
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(pathAndQuery));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
