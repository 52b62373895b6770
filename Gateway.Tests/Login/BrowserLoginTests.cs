using System.Net;
using System.Text.Json;
using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Login;

/// <summary>
/// The browser (OAuth) logins. The theories over <see cref="TestServers.RedisTopologies"/> are the ones whose Redis
/// operations a Cluster or Sentinel set could break (the state taken once, the replayed callback's cached answer, the
/// session issued); the rest run on the single node (docs/high-availability.md).
/// </summary>
public sealed class BrowserLoginTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    private const string OaStart = "/auth/wechat/oa/oa/start";

    

    private static Task<string> ErrorCodeAsync(HttpResponseMessage response) => TestBrowser.ErrorCodeAsync(response);

    private async Task<JsonElement> CurrentSessionAsync(TestBrowser browser)
    {
        var response = await browser.GetAsync("/auth/session");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task OfficialAccountUserInfoLoginSetsTheSessionCookieAndReturnsToTheRequestedPath(RedisTopology redis)
    {
        var bed = await fixture.OnAsync(redis);
        var browser = bed.NewBrowser();

        var callback = await browser.LogInAsync(OaStart + "?scope=snsapi_userinfo&returnUrl=%2Forders%3Fpage%3D2", "xiaoming");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/orders?page=2", callback.Headers.Location!.OriginalString);
        Assert.NotNull(browser.SessionToken);
        var session = await CurrentSessionAsync(browser);
        Assert.Equal(bed.UnionIdOf(LoginTestbed.OfficialAccount, "xiaoming"), session.GetProperty("unionId").GetString());
        Assert.Equal(LoginTestbed.OfficialAccount, session.GetProperty("appId").GetString());
    }

    [Fact]
    public async Task OfficialAccountBaseScopeLoginWorksWithoutUserInfo()
    {
        var browser = _bed.NewBrowser();

        var callback = await browser.LogInAsync(OaStart, "alice");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/", callback.Headers.Location!.OriginalString);
        var session = await CurrentSessionAsync(browser);
        var person = await _bed.Gateway.Services.GetRequiredService<IPersonDirectory>().FindByOpenIdAsync(LoginTestbed.OfficialAccount, _bed.OpenIdOf(LoginTestbed.OfficialAccount, "alice"));
        Assert.Equal(person!.Id, session.GetProperty("personId").GetInt64());
        Assert.Equal(("official_account", "cookie"), (session.GetProperty("channel").GetString(), session.GetProperty("transport").GetString()));
    }

    [Fact]
    public async Task WebsiteQrLoginSignsInTheSamePersonAsTheOfficialAccount()
    {
        var oa = _bed.NewBrowser();
        await oa.LogInAsync(OaStart + "?scope=snsapi_userinfo", "xiaoming");
        var web = _bed.NewBrowser();

        var callback = await web.LogInAsync("/auth/wechat/web/web/start?returnUrl=https%3A%2F%2Fshop.example.com%2Fcart", "xiaoming");

        Assert.Equal("https://shop.example.com/cart", callback.Headers.Location!.OriginalString);
        Assert.Equal((await CurrentSessionAsync(oa)).GetProperty("personId").GetInt64(), (await CurrentSessionAsync(web)).GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task TheStartRedirectCarriesAShortAlphanumericStateAndTheConfiguredRedirectUri()
    {
        var response = await _bed.NewBrowser().GetAsync(OaStart + "?scope=snsapi_userinfo&returnUrl=%2Fa");

        var location = response.Headers.Location!.ToString();
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(location.Split('#')[0]).Query);
        Assert.EndsWith("#wechat_redirect", location);
        Assert.Equal(LoginTestbed.PublicBaseUrl + "/auth/wechat/oa/oa/callback", query["redirect_uri"]);
        Assert.Matches("^[A-Za-z0-9]{1,128}$", query["state"]);
        Assert.DoesNotContain("/a", query["state"]);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("__Host-wgw-wechat-login=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("X-Forwarded-Host", "evil.example")]
    [InlineData("X-Forwarded-Proto", "http")]
    [InlineData("X-Forwarded-Prefix", "/evil")]
    [InlineData("Host", "evil.example")]
    public async Task ForwardedHeadersDoNotChangeTheRedirectUri(string header, string value)
    {
        var response = await _bed.NewBrowser().GetAsync(OaStart, request =>
        {
            if (header == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.Add(header, value);
            }
        });

        var query = System.Web.HttpUtility.ParseQueryString(new Uri(response.Headers.Location!.ToString().Split('#')[0]).Query);
        Assert.Equal(LoginTestbed.PublicBaseUrl + "/auth/wechat/oa/oa/callback", query["redirect_uri"]);
    }

    [Fact]
    public async Task TheSnapshotUserIsRefusedWithAPageAskingForRealAuthorization()
    {
        var browser = _bed.NewBrowser();

        var callback = await browser.LogInAsync(OaStart, "snapshot");

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Equal("snapshot_user", await ErrorCodeAsync(callback));
        Assert.Null(browser.SessionToken);
    }

    [Fact]
    public async Task ARefusalWithoutCodeGetsTheAuthorizationRefusedPage()
    {
        var browser = _bed.NewBrowser();

        var callback = await browser.GetAsync(await browser.AuthorizeAsync(OaStart, user: null));

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Equal("authorization_refused", await ErrorCodeAsync(callback));
        Assert.Contains("text/html", callback.Content.Headers.ContentType!.ToString());
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task ARepeatedCallbackWithTheSameCodeSignsTheBrowserInAgain(RedisTopology redis)
    {
        var browser = (await fixture.OnAsync(redis)).NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart + "?returnUrl=%2Fhome", "xiaoming");
        var first = await browser.GetAsync(callbackUrl);
        var firstSession = browser.SessionToken;

        var second = await browser.GetAsync(callbackUrl);

        Assert.Equal((HttpStatusCode.Redirect, "/home"), (first.StatusCode, first.Headers.Location!.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, "/home"), (second.StatusCode, second.Headers.Location!.OriginalString));
        Assert.NotEqual(firstSession, browser.SessionToken);
        await CurrentSessionAsync(browser);
    }

    [Fact]
    public async Task ConcurrentDoubleCallbacksBothSignIn()
    {
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart, "xiaohong");

        var answers = await Task.WhenAll(browser.GetAsync(callbackUrl), browser.GetAsync(callbackUrl));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        Assert.All(answers, a => Assert.Contains(a.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionOptions.DefaultCookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ARepeatedCallbackOfAFailedLoginShowsTheSameErrorAgain()
    {
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart, "snapshot");

        var first = await browser.GetAsync(callbackUrl);
        var second = await browser.GetAsync(callbackUrl);

        Assert.Equal("snapshot_user", await ErrorCodeAsync(first));
        Assert.Equal("snapshot_user", await ErrorCodeAsync(second));
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task ConcurrentCallbacksWithOneStateAndDifferentCodesSignInOnce(RedisTopology redis)
    {
        var bed = await fixture.OnAsync(redis);
        var browser = bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart, "alice");
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(callbackUrl).Query)["state"];
        var urls = Enumerable.Range(0, 8)
            .Select(_ => $"/auth/wechat/oa/oa/callback?code={bed.Sandbox.IssueAuthorizationCode(LoginTestbed.OfficialAccount, "alice", "snsapi_base")}&state={state}")
            .ToList();

        var answers = await Task.WhenAll(urls.Select(url => browser.GetAsync(url)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Redirect))
        {
            Assert.Equal("state_invalid", await ErrorCodeAsync(refused));
        }
    }

    [Fact]
    public async Task NoCodeStateCorrelationNonceOrSessionTokenReachesTheLogs()
    {
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart + "?scope=snsapi_userinfo", "xiaoming");
        await browser.GetAsync(callbackUrl);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(callbackUrl).Query);

        // ASP.NET Core's own request lines carry the query string; appsettings.json keeps them at Warning (below).
        var logs = string.Join('\n', _bed.Logs.Lines.Where(l => !l.StartsWith("Microsoft.AspNetCore.Hosting.Diagnostics ", StringComparison.Ordinal)));

        Assert.Contains("signed in person", logs);
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Infrastructure.Repository.Root, "Gateway", "appsettings.json"))).RootElement;
        Assert.Equal("Warning", settings.GetProperty("Logging").GetProperty("LogLevel").GetProperty("Microsoft.AspNetCore").GetString());
        foreach (var secret in new[] { query["code"]!, query["state"]!, browser.Cookies["__Host-wgw-wechat-login"], browser.SessionToken!, "sandbox-secret-" })
        {
            Assert.DoesNotContain(secret, logs);
        }
    }

    [Fact]
    public async Task ACallbackInAnotherBrowserIsStateMismatchAndLeavesTheStateToItsOwner()
    {
        var victim = _bed.NewBrowser();
        var attacker = _bed.NewBrowser();
        var callbackUrl = await attacker.AuthorizeAsync(OaStart, "xiaoming");

        var forced = await victim.GetAsync(callbackUrl);
        var own = await attacker.GetAsync(callbackUrl);

        Assert.Equal(HttpStatusCode.BadRequest, forced.StatusCode);
        Assert.Equal("state_mismatch", await ErrorCodeAsync(forced));
        Assert.Null(victim.SessionToken);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
    }

    [Fact]
    public async Task ACallbackWithAnotherBrowsersCorrelationCookieIsStateMismatch()
    {
        var victim = _bed.NewBrowser();
        await victim.GetAsync(OaStart);
        var attacker = _bed.NewBrowser();
        var callbackUrl = await attacker.AuthorizeAsync(OaStart, "xiaoming");

        var forced = await victim.GetAsync(callbackUrl);

        Assert.Equal("state_mismatch", await ErrorCodeAsync(forced));
    }

    [Fact]
    public async Task ARepeatedCallbackFromAnotherBrowserDoesNotGetTheFirstLoginsSession()
    {
        var owner = _bed.NewBrowser();
        var callbackUrl = await owner.AuthorizeAsync(OaStart, "xiaoming");
        await owner.GetAsync(callbackUrl);
        var thief = _bed.NewBrowser();
        await thief.GetAsync(OaStart);

        var stolen = await thief.GetAsync(callbackUrl);

        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Equal("state_mismatch", await ErrorCodeAsync(stolen));
        Assert.Null(thief.SessionToken);
    }

    [Fact]
    public async Task ACallbackWithoutStateIsStateMissing()
    {
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart, "xiaoming");
        var withoutState = System.Text.RegularExpressions.Regex.Replace(callbackUrl, "&?state=[^&]*", "");

        var response = await browser.GetAsync(withoutState);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("state_missing", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task AUsedStateWithANewCodeIsStateInvalid()
    {
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart, "xiaoming");
        await browser.GetAsync(callbackUrl);
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(callbackUrl).Query)["state"];
        var freshCode = _bed.Sandbox.IssueAuthorizationCode(LoginTestbed.OfficialAccount, "xiaoming", "snsapi_base");

        var response = await browser.GetAsync($"/auth/wechat/oa/oa/callback?code={freshCode}&state={state}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("state_invalid", await ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("unknownstate123")]
    [InlineData("has-dash")]
    [InlineData("%3Cscript%3E")]
    public async Task AnUnknownOrMalformedStateIsStateInvalid(string state)
    {
        var browser = _bed.NewBrowser();
        await browser.GetAsync(OaStart);

        var response = await browser.GetAsync($"/auth/wechat/oa/oa/callback?code=abc&state={state}");

        Assert.Equal("state_invalid", await ErrorCodeAsync(response));
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnOverlongStateIsStateInvalid()
    {
        var response = await _bed.NewBrowser().GetAsync($"/auth/wechat/oa/oa/callback?code=abc&state={new string('a', 129)}");

        Assert.Equal("state_invalid", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task AStateOfAnotherAppIsStateInvalid()
    {
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync(OaStart, "xiaoming");

        var response = await browser.GetAsync(callbackUrl.Replace("/oa/oa/", "/web/web/"));

        Assert.Equal("state_invalid", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ErrorPagesAnswerJsonWhenTheClientAsksForJson()
    {
        var response = await _bed.NewBrowser().GetAsync("/auth/wechat/oa/oa/callback?code=abc", r => r.Headers.Accept.ParseAdd("application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("state_missing", body.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/auth/wechat/oa/web/start")]
    [InlineData("/auth/wechat/web/oa/start")]
    [InlineData("/auth/wechat/oa/nosuch/start")]
    public async Task AnAppOfAnotherKindOrNoAppIsAppNotFound(string path)
    {
        var response = await _bed.NewBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("app_not_found", await ErrorCodeAsync(response));
    }

    [Theory]
    [InlineData("/auth/wechat/oa/oa/start?scope=snsapi_login")]
    [InlineData("/auth/wechat/web/web/start?scope=snsapi_userinfo")]
    [InlineData("/auth/wechat/oa/oa/start?returnUrl=%2Fa&returnUrl=%2Fb")]
    public async Task AScopeTheAppCannotUseOrAnAmbiguousParameterIsInvalidRequest(string path)
    {
        var response = await _bed.NewBrowser().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await ErrorCodeAsync(response));
    }
}
