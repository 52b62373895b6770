using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.WeChatSandbox;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>
/// The sandbox as WeChat behaves in 2026, per app: snsapi_base and the unionid, the legacy behaviour, session_key
/// health (wxa/checksession, wxa/resetusersessionkey) and multi-platform apps (donut/code2verifyinfo).
/// </summary>
public sealed class WeChat2026SandboxTests : IAsyncLifetime
{
    private const string LegacyOfficialAccount = "wx_sandbox_oa_legacy";
    private const string MultiPlatform = "wx_sandbox_donut";

    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync(options => options.Apps =
    [
        .. WeChatSandboxDefaults.Apps(),
        new SandboxApp
        {
            AppId = LegacyOfficialAccount, Secret = SecretOf(LegacyOfficialAccount), Kind = SandboxAppKind.OfficialAccount,
            Name = "Legacy Official Account", OpenPlatform = WeChatSandboxDefaults.OpenPlatform, Behaviour = SandboxBehaviour.Legacy,
        },
    ]);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task SnsapiBaseRevealsTheUnionIdOnlyAfterTheUserOnceGrantedUserInfo()
    {
        var before = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaohong", "snsapi_base"));
        await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaohong", "snsapi_userinfo"));
        var after = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaohong", "snsapi_base"));

        Assert.False(before.ContainsKey("unionid"));
        Assert.Equal(_sandbox.Server.UnionIdOf(OfficialAccount, "xiaohong"), (string)after["unionid"]!);
        Assert.Equal((string)before["openid"]!, (string)after["openid"]!);
    }

    [Fact]
    public async Task LegacyUserInfoStillCarriesGenderAndRegion()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(LegacyOfficialAccount, await _sandbox.AuthorizeAsync(LegacyOfficialAccount, "xiaoming", "snsapi_userinfo"));

        var info = await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}&openid={token["openid"]}");

        Assert.Equal(1, (int)info["sex"]!);
        Assert.Equal(("CN", "Guangdong", "Guangzhou"), ((string)info["country"]!, (string)info["province"]!, (string)info["city"]!));
    }

    [Fact]
    public async Task CheckSessionAcceptsTheCurrentKeyAndAnswers87009OnceALaterLoginRotatedIt()
    {
        var first = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);

        var current = await CheckSessionAsync(token, first);
        await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var rotated = await CheckSessionAsync(token, first);

        Assert.Equal(0, (int)current["errcode"]!);
        AssertErrcode(87009, rotated);
    }

    [Fact]
    public async Task AnExpiredSessionKeyFailsCheckSession()
    {
        var session = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "alice"));
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);

        _sandbox.Server.ExpireSessionKey(MiniProgram, "alice");

        AssertErrcode(87009, await CheckSessionAsync(token, session));
    }

    [Theory]
    [InlineData("access_token=forged&openid={openid}&signature={signature}&sig_method=hmac_sha256", 40001)]
    [InlineData("openid={openid}&signature={signature}&sig_method=hmac_sha256", 41001)]
    [InlineData("access_token={token}&signature={signature}&sig_method=hmac_sha256", 41009)]
    [InlineData("access_token={token}&openid=oUnknownOpenId&signature={signature}&sig_method=hmac_sha256", 40003)]
    [InlineData("access_token={token}&openid={openid}&signature={signature}&sig_method=md5", 87009)]
    [InlineData("access_token={token}&openid={openid}&signature=00&sig_method=hmac_sha256", 87009)]
    [InlineData("access_token={oatoken}&openid={openid}&signature={signature}&sig_method=hmac_sha256", 48001)]
    public async Task CheckSessionAndResetAnswerWeChatsErrorCodes(string query, int errcode)
    {
        var session = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var filled = query
            .Replace("{oatoken}", await _sandbox.AppAccessTokenAsync(OfficialAccount))
            .Replace("{token}", await _sandbox.AppAccessTokenAsync(MiniProgram))
            .Replace("{openid}", (string)session["openid"]!)
            .Replace("{signature}", Signature((string)session["session_key"]!));

        AssertErrcode(errcode, await _sandbox.GetApiAsync("/wxa/checksession?" + filled));
        AssertErrcode(errcode, await _sandbox.GetApiAsync("/wxa/resetusersessionkey?" + filled));
    }

    [Fact]
    public async Task ResetIssuesANewSessionKeyAndRetiresTheOldOne()
    {
        var session = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var openId = (string)session["openid"]!;

        var reset = await _sandbox.GetApiAsync($"/wxa/resetusersessionkey?access_token={token}&openid={openId}&signature={Signature((string)session["session_key"]!)}&sig_method=hmac_sha256");

        Assert.Equal((0, openId), ((int)reset["errcode"]!, (string)reset["openid"]!));
        var replacement = (string)reset["session_key"]!;
        Assert.Equal(16, Convert.FromBase64String(replacement).Length);
        AssertErrcode(87009, await CheckSessionAsync(token, session));
        Assert.Equal(0, (int)(await CheckSessionAsync(token, new JsonObject { ["openid"] = openId, ["session_key"] = replacement }))["errcode"]!);
    }

    [Fact]
    public async Task Code2VerifyInfoOfAWeixinAppLoginCarriesTheBoundMobileAppsOpenIdAndUnionId()
    {
        var code = _sandbox.Server.IssueMultiPlatformLoginCode(MultiPlatform, "xiaoming");

        var info = await VerifyInfoAsync(code);

        Assert.Equal((0, "ok"), ((int)info["errcode"]!, (string)info["errmsg"]!));
        Assert.Equal("weixinApp", (string)info["login_info"]!["type"]!);
        Assert.Equal(_sandbox.Clock.GetUtcNow().ToUnixTimeSeconds(), (long)info["login_info"]!["login_time"]!);
        var user = info["user_info"]!;
        Assert.Equal(_sandbox.Server.MultiPlatformUserIdOf(MultiPlatform, "xiaoming"), (string)user["user_id"]!);
        Assert.Equal(MobileApp, (string)user["openapp_info"]!["appid"]!);
        Assert.Equal(_sandbox.Server.OpenIdOf(MobileApp, "xiaoming"), (string)user["openapp_info"]!["openid"]!);
        Assert.Equal(_sandbox.Server.UnionIdOf(MobileApp, "xiaoming"), (string)user["openapp_info"]!["unionid"]!);
    }

    [Fact]
    public async Task Code2VerifyInfoOfAnSmsLoginHasOnlyTheAppsOwnUserIdAndACodeIsSingleUse()
    {
        var code = _sandbox.Server.IssueMultiPlatformLoginCode(MultiPlatform, "xiaoming", "phoneSms");

        var info = await VerifyInfoAsync(code);
        var again = await VerifyInfoAsync(code);

        Assert.Equal("phoneSms", (string)info["login_info"]!["type"]!);
        Assert.False(info["user_info"]!.AsObject().ContainsKey("openapp_info"));
        AssertErrcode(10001001, again);
    }

    [Theory]
    [InlineData("appid=wx_sandbox_donut&appsecret=wrong&code={code}&grant_type=authorization_code", 10001003)]
    [InlineData("appid=wx_sandbox_donut&secret=sandbox-secret-donut&code={code}&grant_type=authorization_code", 10001003)]
    [InlineData("appid=wx_sandbox_donut&appsecret=sandbox-secret-donut&code={code}&grant_type=client_credential", 10001004)]
    [InlineData("appid=wx_sandbox_mp&appsecret=sandbox-secret-mp&code={code}&grant_type=authorization_code", 10001002)]
    [InlineData("appsecret=sandbox-secret-donut&code={code}&grant_type=authorization_code", 10001002)]
    [InlineData("appid=wx_sandbox_donut&appsecret=sandbox-secret-donut&code=forged&grant_type=authorization_code", 10001001)]
    public async Task Code2VerifyInfoAnswersItsOwnErrorCodes(string query, int errcode)
    {
        var code = _sandbox.Server.IssueMultiPlatformLoginCode(MultiPlatform, "xiaoming");

        AssertErrcode(errcode, await _sandbox.GetApiAsync("/donut/code2verifyinfo?" + query.Replace("{code}", code)));
    }

    [Fact]
    public async Task AMultiPlatformCodeExpiresAfterFiveMinutes()
    {
        var code = _sandbox.Server.IssueMultiPlatformLoginCode(MultiPlatform, "xiaoming");

        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5));

        AssertErrcode(10001000, await VerifyInfoAsync(code));
    }

    [Fact]
    public async Task AMobileAppLinkMustNameAMobileAppOfTheDataSet()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => WeChatSandboxServer.StartAsync(o =>
            o.Apps = [new SandboxApp { AppId = "wx_donut", Secret = "s", Kind = SandboxAppKind.MultiPlatform, MobileApp = "wx_nowhere" }]));

        Assert.Contains(failure.Failures, f => f.StartsWith("WeChatSandbox:Apps:0:MobileApp", StringComparison.Ordinal));
    }

    private Task<JsonObject> VerifyInfoAsync(string code) =>
        _sandbox.GetApiAsync($"/donut/code2verifyinfo?appid={MultiPlatform}&appsecret={SecretOf(MultiPlatform)}&code={code}&grant_type=authorization_code");

    private Task<JsonObject> CheckSessionAsync(string token, JsonObject session) =>
        _sandbox.GetApiAsync($"/wxa/checksession?access_token={token}&openid={session["openid"]}&signature={Signature((string)session["session_key"]!)}&sig_method=hmac_sha256");

    /// <summary>WeChat's formula, computed here independently of the sandbox and the gateway.</summary>
    private static string Signature(string sessionKey)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(sessionKey));
        return Convert.ToHexStringLower(hmac.ComputeHash([]));
    }
}
