using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.WeChatSandbox;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>sns/oauth2/access_token, sns/oauth2/refresh_token, sns/userinfo and sns/auth, as WeChat answers them.</summary>
public sealed class OAuthTokenTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task CodeExchangeReturnsWeChatsTokenFieldsAndTypes()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_userinfo");

        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code);

        Assert.Equal(JsonValueKind.String, token["access_token"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, token["expires_in"]!.GetValueKind());
        Assert.Equal(7200, (int)token["expires_in"]!);
        Assert.Equal(JsonValueKind.String, token["refresh_token"]!.GetValueKind());
        Assert.Equal(_sandbox.Server.OpenIdOf(OfficialAccount, "xiaoming"), (string)token["openid"]!);
        Assert.Equal("snsapi_userinfo", (string)token["scope"]!);
        Assert.Equal(_sandbox.Server.UnionIdOf(OfficialAccount, "xiaoming"), (string)token["unionid"]!);
        Assert.False(token.ContainsKey("errcode"));
        Assert.False(token.ContainsKey("is_snapshotuser"));
    }

    [Fact]
    public async Task CodeExchangeAnswersWithTheTextPlainContentTypeWeChatSends()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");

        using var response = await _sandbox.Http.GetAsync(_sandbox.Url(
            $"/sns/oauth2/access_token?appid={OfficialAccount}&secret={SecretOf(OfficialAccount)}&code={code}&grant_type=authorization_code"));

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UserInfoOn2026ReturnsNicknameAndAvatarWithSexZeroNoRegionAPrivilegeArrayAndUnionId()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_userinfo"));

        var info = await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}&openid={token["openid"]}&lang=zh_CN");

        Assert.Equal((string)token["openid"]!, (string)info["openid"]!);
        Assert.Equal("小明🐼", (string)info["nickname"]!);
        Assert.Equal(JsonValueKind.Number, info["sex"]!.GetValueKind());
        Assert.Equal(0, (int)info["sex"]!);
        Assert.Equal(("", "", ""), ((string)info["province"]!, (string)info["city"]!, (string)info["country"]!));
        Assert.StartsWith("https://", (string)info["headimgurl"]!);
        Assert.Equal(JsonValueKind.Array, info["privilege"]!.GetValueKind());
        Assert.Equal((string)token["unionid"]!, (string)info["unionid"]!);
    }

    [Fact]
    public async Task SnsapiBaseTokenOnUserInfoIsRejectedWith48001()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base"));

        AssertErrcode(48001, await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}&openid={token["openid"]}"));
    }

    [Fact]
    public async Task ReusedCodeIsRejectedWith40163()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");
        Assert.True((await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code)).ContainsKey("access_token"));

        AssertErrcode(40163, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code));
    }

    [Fact]
    public async Task CodeStillWorksJustBeforeFiveMinutes()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.True((await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code)).ContainsKey("access_token"));
    }

    [Fact]
    public async Task CodeOlderThanFiveMinutesIsRejectedWith42003()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5));

        AssertErrcode(42003, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code));
    }

    [Fact]
    public async Task ExpiredCodesAreForgottenAfterAnHourAndThenAnswer40029()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(61));
        AssertErrcode(42003, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code));

        await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");

        AssertErrcode(40029, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code));
    }

    [Fact]
    public async Task UnknownCodeIsRejectedWith40029()
    {
        AssertErrcode(40029, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, "0123456789abcdefABCDEF0123456789"));
    }

    [Fact]
    public async Task CodeIssuedToAnotherAppIsRejectedWith40029()
    {
        var code = await _sandbox.AuthorizeAsync(Website, "xiaoming", "snsapi_login", "/connect/qrconnect");

        AssertErrcode(40029, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code));
    }

    [Fact]
    public async Task MissingCodeIsRejectedWith41008()
    {
        AssertErrcode(41008, await _sandbox.GetApiAsync(
            $"/sns/oauth2/access_token?appid={OfficialAccount}&secret={SecretOf(OfficialAccount)}&grant_type=authorization_code"));
    }

    [Theory]
    [InlineData("appid=wx_nobody&secret=x&code=c&grant_type=authorization_code", 40013)]
    [InlineData("appid=wx_sandbox_oa&secret=wrong&code=c&grant_type=authorization_code", 40125)]
    [InlineData("appid=wx_sandbox_oa&secret=sandbox-secret-web&code=c&grant_type=authorization_code", 40125)]
    [InlineData("secret=sandbox-secret-oa&code=c&grant_type=authorization_code", 41002)]
    [InlineData("appid=wx_sandbox_oa&code=c&grant_type=authorization_code", 41004)]
    [InlineData("appid=wx_sandbox_oa&secret=sandbox-secret-oa&code=c&grant_type=client_credential", 40002)]
    [InlineData("appid=wx_sandbox_mp&secret=sandbox-secret-mp&code=c&grant_type=authorization_code", 40013)]
    public async Task BadCredentialsAndParametersGetWeChatsErrcodes(string query, int errcode)
    {
        AssertErrcode(errcode, await _sandbox.GetApiAsync("/sns/oauth2/access_token?" + query));
    }

    [Fact]
    public async Task SnapshotUserIsMarkedAndGetsNoUnionId()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "snapshot", "snsapi_base"));

        Assert.Equal(JsonValueKind.Number, token["is_snapshotuser"]!.GetValueKind());
        Assert.Equal(1, (int)token["is_snapshotuser"]!);
        Assert.False(token.ContainsKey("unionid"));
    }

    [Fact]
    public async Task MobileAppSdkCodeExchangesForAUserInfoToken()
    {
        var code = (string)(await _sandbox.PostHelperAsync($"/sandbox/app-code?appid={MobileApp}&user=xiaohong"))["code"]!;

        var token = await _sandbox.ExchangeOAuthCodeAsync(MobileApp, code);
        var info = await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}&openid={token["openid"]}");

        Assert.Equal("snsapi_userinfo", (string)token["scope"]!);
        Assert.Equal("小红", (string)info["nickname"]!);
        Assert.Equal(0, (int)info["sex"]!);
    }

    [Fact]
    public async Task OpenIdsDifferPerAppAndUnionIdIsSharedAcrossBoundApps()
    {
        var oa = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "alice", "snsapi_userinfo"));
        var web = await _sandbox.ExchangeOAuthCodeAsync(Website, await _sandbox.AuthorizeAsync(Website, "alice", "snsapi_login", "/connect/qrconnect"));
        var app = await _sandbox.ExchangeOAuthCodeAsync(MobileApp, _sandbox.Server.IssueAppSdkCode(MobileApp, "alice"));
        var mp = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "alice"));
        var again = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "alice", "snsapi_base"));
        JsonObject[] all = [oa, web, app, mp];

        Assert.Equal(4, all.Select(t => (string)t["openid"]!).Distinct().Count());
        Assert.Single(all.Select(t => (string)t["unionid"]!).Distinct());
        Assert.Equal((string)oa["openid"]!, (string)again["openid"]!);
        Assert.NotEqual((string)oa["unionid"]!, _sandbox.Server.UnionIdOf(OfficialAccount, "xiaoming"));
    }

    [Fact]
    public async Task ConcurrentRedemptionOfOneCodeSucceedsExactlyOnce()
    {
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code)));

        Assert.Single(answers, a => a.ContainsKey("access_token"));
        Assert.All(answers.Where(a => !a.ContainsKey("access_token")), a => AssertErrcode(40163, a));
    }

    [Fact]
    public async Task RefreshTokenIssuesANewWorkingAccessToken()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_userinfo"));
        _sandbox.Clock.Advance(TimeSpan.FromHours(3));

        var refreshed = await _sandbox.GetApiAsync(
            $"/sns/oauth2/refresh_token?appid={OfficialAccount}&grant_type=refresh_token&refresh_token={token["refresh_token"]}");

        Assert.NotEqual((string)token["access_token"]!, (string)refreshed["access_token"]!);
        Assert.Equal(7200, (int)refreshed["expires_in"]!);
        Assert.Equal((string)token["refresh_token"]!, (string)refreshed["refresh_token"]!);
        Assert.Equal((string)token["openid"]!, (string)refreshed["openid"]!);
        Assert.Equal("snsapi_userinfo", (string)refreshed["scope"]!);
        var info = await _sandbox.GetApiAsync($"/sns/userinfo?access_token={refreshed["access_token"]}&openid={token["openid"]}");
        Assert.Equal("小明🐼", (string)info["nickname"]!);
    }

    [Fact]
    public async Task UnknownRefreshTokenIsRejectedWith40030()
    {
        AssertErrcode(40030, await _sandbox.GetApiAsync(
            $"/sns/oauth2/refresh_token?appid={OfficialAccount}&grant_type=refresh_token&refresh_token=nope"));
    }

    [Fact]
    public async Task RefreshTokenOlderThanThirtyDaysIsRejectedWith42002()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base"));
        _sandbox.Clock.Advance(TimeSpan.FromDays(30));

        AssertErrcode(42002, await _sandbox.GetApiAsync(
            $"/sns/oauth2/refresh_token?appid={OfficialAccount}&grant_type=refresh_token&refresh_token={token["refresh_token"]}"));
    }

    [Fact]
    public async Task RefreshTokenOfAnotherAppIsRejectedWith40030()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base"));

        AssertErrcode(40030, await _sandbox.GetApiAsync(
            $"/sns/oauth2/refresh_token?appid={Website}&grant_type=refresh_token&refresh_token={token["refresh_token"]}"));
    }

    [Fact]
    public async Task AuthAcceptsAValidTokenAndOpenId()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base"));

        var answer = await _sandbox.GetApiAsync($"/sns/auth?access_token={token["access_token"]}&openid={token["openid"]}");

        Assert.Equal(0, (int)answer["errcode"]!);
        Assert.Equal("ok", (string)answer["errmsg"]!);
    }

    [Fact]
    public async Task AuthRejectsAnotherUsersOpenIdWith40003()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base"));

        AssertErrcode(40003, await _sandbox.GetApiAsync(
            $"/sns/auth?access_token={token["access_token"]}&openid={_sandbox.Server.OpenIdOf(OfficialAccount, "alice")}"));
    }

    [Fact]
    public async Task AccessTokenOlderThan7200SecondsIsRejectedWith42001()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_userinfo"));
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(7200));

        AssertErrcode(42001, await _sandbox.GetApiAsync($"/sns/auth?access_token={token["access_token"]}&openid={token["openid"]}"));
        AssertErrcode(42001, await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}&openid={token["openid"]}"));
    }

    [Theory]
    [InlineData("/sns/auth?access_token=forged&openid=o1", 40001)]
    [InlineData("/sns/userinfo?access_token=forged&openid=o1", 40001)]
    [InlineData("/sns/userinfo?openid=o1", 41001)]
    public async Task UnknownOrMissingAccessTokenIsRejected(string pathAndQuery, int errcode)
    {
        AssertErrcode(errcode, await _sandbox.GetApiAsync(pathAndQuery));
    }

    [Fact]
    public async Task UserInfoWithoutOpenIdIsRejectedWith41009()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_userinfo"));

        AssertErrcode(41009, await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}"));
    }

    [Fact]
    public async Task DirectlyIssuedAuthorizationCodesAreLimitedToTheAppsScopes()
    {
        var error = Assert.Throws<SandboxException>(() => _sandbox.Server.IssueAuthorizationCode(OfficialAccount, "xiaoming", "snsapi_login"));

        Assert.Equal("invalid_scope", error.Code);
    }
}
