using System.Net;
using Gateway.Auth.Login.Pages;

namespace Gateway.Tests.Login;

/// <summary>
/// An operator brands the login pages with a folder of templates (<c>Login:Pages:TemplateDirectory</c>) or sends
/// failed logins to the front end (<c>Login:Pages:ErrorRedirectUrl</c>); both are checked at start-up.
/// </summary>
public sealed class LoginPageTemplateTests : IDisposable
{
    private readonly DirectoryInfo _templates = Directory.CreateTempSubdirectory("gateway-page-templates-");

    public void Dispose() => _templates.Delete(recursive: true);

    [Fact]
    public async Task ACustomTemplateFolderRendersTheFailedLoginInTheRequestsLanguage()
    {
        Write("error.html", "<!doctype html><html lang=\"{{lang}}\"><title>{{title}}</title><body class=\"acme\"><h1>ACME 商城</h1>" +
            "<p id=\"message\">{{message}}</p><i data-error-code=\"{{code}}\">{{codeLabel}}{{code}}</i>{{#retry}}<a id=\"retry\" href=\"{{retryUrl}}\">{{retryLabel}}</a>{{/retry}}</body></html>");
        Write("error.en.html", "<!doctype html><html lang=\"{{lang}}\"><body><h1>ACME Store</h1><p id=\"message\">{{message}}</p>" +
            "<i data-error-code=\"{{code}}\"></i>{{#retry}}<a id=\"retry\" href=\"{{retryUrl}}\">{{retryLabel}}</a>{{/retry}}</body></html>");
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Login:Pages:TemplateDirectory"] = _templates.FullName });
        var browser = new TestBrowser(bed, bed.Gateway);

        var chinese = await browser.GetAsync(await browser.AuthorizeAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo&returnUrl=%2Fpages%2Fcart", user: null));
        var page = await chinese.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, chinese.StatusCode);
        Assert.Contains("<html lang=\"zh-CN\">", page);
        Assert.Contains("<h1>ACME 商城</h1>", page);
        Assert.Contains("<p id=\"message\">你已拒绝微信授权，未能登录。</p>", page);
        Assert.Contains("错误码：authorization_refused", page);
        Assert.Matches("<a id=\"retry\" href=\"https://gateway\\.example\\.test/auth/wechat/oa/oa/start\\?retry=[A-Za-z0-9]+\">重新登录</a>", page);
        Assert.DoesNotContain("script-src", chinese.Headers.GetValues("Content-Security-Policy").Single());

        var english = await browser.GetAsync(await browser.AuthorizeAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo", user: null),
            request => request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.8"));
        var englishPage = await english.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", englishPage);
        Assert.Contains("<h1>ACME Store</h1>", englishPage);
        Assert.Contains("<p id=\"message\">You did not allow WeChat sign-in.</p>", englishPage);
    }

    [Fact]
    public async Task APageWithoutAKnownFlowOffersNoRetryAndTheSectionIsLeftOut()
    {
        Write("error.html", "<p>{{message}}</p>{{#retry}}<a id=\"retry\" href=\"{{retryUrl}}\">{{retryLabel}}</a>{{/retry}}<i data-error-code=\"{{code}}\"></i>");
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Login:Pages:TemplateDirectory"] = _templates.FullName });
        var browser = new TestBrowser(bed, bed.Gateway);

        var response = await browser.GetAsync("/auth/wechat/oa/oa/callback?state=unknownstate&code=c");

        Assert.Equal("state_invalid", await TestBrowser.ErrorCodeAsync(response));
        Assert.DoesNotContain("retry", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void EverythingATemplateEchoesIsHtmlEncoded()
    {
        var template = PageTemplate.Parse("<a href=\"{{retryUrl}}\">{{message}}</a>");

        var html = template.Render(new Dictionary<string, string> { ["retryUrl"] = "\"><script>alert(1)</script>", ["message"] = "<img src=x onerror=alert(1)> 你好" }, retry: true);

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("你好", html);
    }

    [Theory]
    [InlineData("<p>{{mesage}}</p>", "unknown placeholder {{mesage}}")]
    [InlineData("{{#retry}}<a href=\"{{retryUrl}}\">x</a>", "{{#retry}}")]
    [InlineData("{{#items}}x{{/items}}", "{{#retry}}")]
    public void ATemplateWithAnUnknownPlaceholderOrSectionStopsStartUp(string template, string expected)
    {
        Write("error.html", template);

        var message = StartUpFailure(new() { ["Login:Pages:TemplateDirectory"] = _templates.FullName });

        Assert.Contains("Login:Pages:TemplateDirectory", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void AMissingTemplateFolderOrFileStopsStartUp()
    {
        Assert.Contains("Login:Pages:TemplateDirectory '/nonexistent/brand' is not an existing folder",
            StartUpFailure(new() { ["Login:Pages:TemplateDirectory"] = "/nonexistent/brand" }));
        Assert.Contains("error.html does not exist", StartUpFailure(new() { ["Login:Pages:TemplateDirectory"] = _templates.FullName }));
    }

    [Theory]
    [InlineData("http://shop.example.com/login-error")]
    [InlineData("//evil.example/login-error")]
    [InlineData("https://user@shop.example.com/login-error")]
    [InlineData("https://shop.example.com/login-error#top")]
    [InlineData("login-error")]
    public void AnErrorRedirectUrlThatIsNotHttpsOrSameOriginStopsStartUp(string url)
    {
        Assert.Contains("Login:Pages:ErrorRedirectUrl must be an absolute https URL or a path on the gateway's own origin",
            StartUpFailure(new() { ["Login:Pages:ErrorRedirectUrl"] = url }));
    }

    [Theory]
    [InlineData("https://shop.example.com/login-error?from=gateway")]
    [InlineData("/login-error")]
    public void AnHttpsOrSameOriginErrorRedirectUrlIsAccepted(string url)
    {
        Assert.Null(Infrastructure.GatewayInstance.TryStart(Infrastructure.YarpJson.Build(new Uri("http://127.0.0.1:9")),
            new Dictionary<string, string?> { ["Login:Pages:ErrorRedirectUrl"] = url }));
    }

    [Fact]
    public async Task TheFrontEndErrorUrlGetsTheCodeAndNoPage()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Login:Pages:ErrorRedirectUrl"] = "https://shop.example.com/login-error" });
        var browser = new TestBrowser(bed, bed.Gateway);

        var response = await browser.GetAsync(await browser.AuthorizeAsync("/auth/wechat/oa/oa/start?scope=snsapi_base&returnUrl=%2Fpages%2Fcart", user: null));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith("https://shop.example.com/login-error?code=authorization_refused&returnUrl=%2Fpages%2Fcart&retryUrl=https%3A%2F%2Fgateway.example.test%2Fauth%2Fwechat%2Foa%2Foa%2Fstart%3Fretry%3D", location);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_templates.FullName, name), content);

    private static string StartUpFailure(Dictionary<string, string?> settings)
    {
        var failure = Infrastructure.GatewayInstance.TryStart(Infrastructure.YarpJson.Build(new Uri("http://127.0.0.1:9")), settings);
        Assert.NotNull(failure);
        return failure.ToString();
    }
}
