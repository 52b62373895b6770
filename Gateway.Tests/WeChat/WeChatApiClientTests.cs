using Gateway.Auth.WeChat;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.WeChat;

public sealed class WeChatApiClientTests : IAsyncLifetime
{
    private WeChatTestbed _bed = null!;
    private IServiceProvider _instance = null!;
    private WeChatApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _bed = await WeChatTestbed.StartAsync();
        _instance = _bed.NewInstance();
        _client = _instance.GetRequiredService<WeChatApiClient>();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private WeChatApp App(string key) => _bed.App(_instance, key);

    [Fact]
    public async Task OfficialAccountCodeExchangesForOpenIdUnionIdAndProfile()
    {
        var code = _bed.Sandbox.IssueAuthorizationCode(WeChatTestbed.OfficialAccount, "xiaoming", "snsapi_userinfo");

        var token = await _client.ExchangeOAuthCodeAsync(App("oa"), code);
        var user = await _client.GetUserInfoAsync(App("oa"), token.AccessToken, token.OpenId);

        Assert.Equal(_bed.Sandbox.OpenIdOf(WeChatTestbed.OfficialAccount, "xiaoming"), token.OpenId);
        Assert.Equal(_bed.Sandbox.UnionIdOf(WeChatTestbed.OfficialAccount, "xiaoming"), token.UnionId);
        Assert.Equal("snsapi_userinfo", token.Scope);
        Assert.Equal(7200, token.ExpiresIn);
        Assert.False(token.IsSnapshotUser);
        Assert.Equal("小明🐼", user.Nickname);
        Assert.Equal(token.UnionId, user.UnionId);
    }

    [Fact]
    public async Task SnapshotUserIsFlaggedWithoutUnionId()
    {
        var code = _bed.Sandbox.IssueAuthorizationCode(WeChatTestbed.OfficialAccount, "snapshot", "snsapi_base");

        var token = await _client.ExchangeOAuthCodeAsync(App("oa"), code);

        Assert.True(token.IsSnapshotUser);
        Assert.Null(token.UnionId);
    }

    [Fact]
    public async Task UserInfoWithSnsapiBaseTokenIsAConfigurationError48001()
    {
        var token = await _client.ExchangeOAuthCodeAsync(App("oa"), _bed.Sandbox.IssueAuthorizationCode(WeChatTestbed.OfficialAccount, "xiaoming", "snsapi_base"));

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => _client.GetUserInfoAsync(App("oa"), token.AccessToken, token.OpenId));

        Assert.Equal((48001, WeChatErrorKind.Configuration), (error.Errcode, error.Kind));
    }

    [Fact]
    public async Task WebsiteAndMobileAppCodesExchangeWithTheirOwnApps()
    {
        var web = await _client.ExchangeOAuthCodeAsync(App("web"), _bed.Sandbox.IssueAuthorizationCode(WeChatTestbed.Website, "alice", "snsapi_login"));
        var app = await _client.ExchangeOAuthCodeAsync(App("app"), _bed.Sandbox.IssueAppSdkCode(WeChatTestbed.MobileApp, "alice"));

        Assert.Equal(_bed.Sandbox.OpenIdOf(WeChatTestbed.Website, "alice"), web.OpenId);
        Assert.Equal(_bed.Sandbox.OpenIdOf(WeChatTestbed.MobileApp, "alice"), app.OpenId);
        Assert.Equal(web.UnionId, app.UnionId);
        Assert.NotNull(web.UnionId);
    }

    [Fact]
    public async Task Code2SessionGivesUnionIdOnlyWhereTheMiniProgramSendsIt()
    {
        var bound = await _client.Code2SessionAsync(App("mp"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming"));
        var twoStep = await _client.Code2SessionAsync(App("twostep"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.TwoStep, "xiaoming"));

        Assert.Equal(_bed.Sandbox.UnionIdOf(WeChatTestbed.MiniProgram, "xiaoming"), bound.UnionId);
        Assert.Null(twoStep.UnionId);
        Assert.Equal(16, Convert.FromBase64String(twoStep.SessionKey).Length);
        Assert.DoesNotContain(twoStep.SessionKey, twoStep.ToString());
    }

    [Fact]
    public async Task ReusedCodeIsRejectedWith40163AsInvalidCode()
    {
        var code = _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming");
        await _client.Code2SessionAsync(App("mp"), code);

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp"), code));

        Assert.Equal((40163, WeChatErrorKind.InvalidCode), (error.Errcode, error.Kind));
    }

    [Fact]
    public async Task UnknownExpiredAndMissingCodesAreInvalidCodes()
    {
        var expired = _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming");
        _bed.Clock.Advance(TimeSpan.FromMinutes(6));

        var unknown = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp"), "no-such-code"));
        var late = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp"), expired));
        var missing = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp"), ""));

        Assert.Equal([40029, 42003, 41008], new[] { unknown.Errcode, late.Errcode, missing.Errcode });
        Assert.All(new[] { unknown, late, missing }, e => Assert.Equal(WeChatErrorKind.InvalidCode, e.Kind));
    }

    [Fact]
    public async Task WrongSecretAndUnknownAppIdAreConfigurationErrors()
    {
        var code = _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming");

        var badSecret = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp") with { Secret = "wrong" }, code));
        var badAppId = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp") with { AppId = "wx_unknown" }, code));

        Assert.Equal((40125, WeChatErrorKind.Configuration), (badSecret.Errcode, badSecret.Kind));
        Assert.Equal((40013, WeChatErrorKind.Configuration), (badAppId.Errcode, badAppId.Kind));
        Assert.DoesNotContain("wrong", badSecret.Message);
    }

    [Fact]
    public async Task RateLimitAndHighRiskAreClassifiedApart()
    {
        _bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { HighRiskUsers = ["xiaohong"] });
        var risky = await Assert.ThrowsAsync<WeChatApiException>(() =>
            _client.Code2SessionAsync(App("mp"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaohong")));
        _bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { ForcedErrcode = 45011, ForcedErrcodeCalls = 1 });
        var limited = await Assert.ThrowsAsync<WeChatApiException>(() =>
            _client.Code2SessionAsync(App("mp"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming")));

        Assert.Equal((40226, WeChatErrorKind.HighRisk), (risky.Errcode, risky.Kind));
        Assert.Equal((45011, WeChatErrorKind.RateLimited), (limited.Errcode, limited.Kind));
    }

    [Fact]
    public async Task ErrcodeSentAsAStringIsClassifiedLikeANumber()
    {
        _bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { ErrcodeAsString = true });

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => _client.Code2SessionAsync(App("mp"), "no-such-code"));

        Assert.Equal((40029, WeChatErrorKind.InvalidCode), (error.Errcode, error.Kind));
    }

    [Fact]
    public async Task SystemBusyBurstWithinTheRetryBudgetSucceedsWithTheSameCode()
    {
        _bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { SystemBusyCalls = 2 });

        var session = await _client.Code2SessionAsync(App("mp"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming"));

        Assert.Equal(_bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, "xiaoming"), session.OpenId);
        Assert.Equal(3, _bed.RequestsTo("sns/jscode2session"));
    }

    [Fact]
    public async Task SystemBusyBeyondTheRetryBudgetIsUnavailableAfterExactlyThreeAttempts()
    {
        _bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { SystemBusyCalls = 10 });

        var error = await Assert.ThrowsAsync<WeChatApiException>(() =>
            _client.Code2SessionAsync(App("mp"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming")));

        Assert.Equal((-1, WeChatErrorKind.Unavailable), (error.Errcode, error.Kind));
        Assert.Equal(3, _bed.RequestsTo("sns/jscode2session"));
        Assert.Equal(7, _bed.Sandbox.State.GetFaults(WeChatTestbed.MiniProgram)!.SystemBusyCalls);
    }

    [Fact]
    public async Task ACallThatOutlivesTheTimeoutFailsAsUnavailableWithoutRetry()
    {
        var instance = _bed.NewInstance(new Dictionary<string, string?> { ["WeChat:Timeout"] = "00:00:00.300" });
        _bed.Sandbox.SetFaults(WeChatTestbed.MiniProgram, new SandboxFaults { LatencyMilliseconds = 60_000 });
        var started = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => instance.GetRequiredService<WeChatApiClient>()
            .Code2SessionAsync(_bed.App(instance, "mp"), _bed.Sandbox.IssueMiniProgramLoginCode(WeChatTestbed.MiniProgram, "xiaoming")));

        Assert.Equal((null, WeChatErrorKind.Unavailable), (error.Errcode, error.Kind));
        Assert.Contains("did not answer", error.Message);
        Assert.Equal(1, _bed.RequestsTo("sns/jscode2session"));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task AnUnreachableWeChatIsRetriedThenUnavailable()
    {
        var instance = _bed.NewInstance(new Dictionary<string, string?> { ["WeChat:ApiBaseUrl"] = $"http://127.0.0.1:{Infrastructure.FreePort.Next()}" });

        var error = await Assert.ThrowsAsync<WeChatApiException>(() => instance.GetRequiredService<WeChatApiClient>()
            .Code2SessionAsync(_bed.App(instance, "mp"), "any-code"));

        Assert.Equal(WeChatErrorKind.Unavailable, error.Kind);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task PhoneCodeExchangesForTheNumberWithTheAppToken()
    {
        var cache = _instance.GetRequiredService<AppAccessTokenCache>();

        var china = await cache.UseAsync(App("mp"), (token, ct) => _client.GetPhoneNumberAsync(App("mp"), token, _bed.Sandbox.IssuePhoneCode(WeChatTestbed.MiniProgram, "xiaoming"), _bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, "xiaoming"), ct));
        var abroad = await cache.UseAsync(App("mp"), (token, ct) => _client.GetPhoneNumberAsync(App("mp"), token, _bed.Sandbox.IssuePhoneCode(WeChatTestbed.MiniProgram, "alice"), _bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, "alice"), ct));

        Assert.Equal(("13800138000", "13800138000", "86", WeChatTestbed.MiniProgram), (china.PhoneNumber, china.PurePhoneNumber, china.CountryCode, china.WatermarkAppId));
        Assert.Equal(("+12025550143", "1"), (abroad.PhoneNumber, abroad.CountryCode));
        Assert.Equal(1, _bed.RequestsTo("cgi-bin/stable_token"));
    }
}
