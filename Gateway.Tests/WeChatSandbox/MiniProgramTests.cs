using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>sns/jscode2session and the encrypted user data a Mini Program receives.</summary>
public sealed class MiniProgramTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Code2SessionReturnsOpenIdSessionKeyAndUnionIdForABoundMiniProgram()
    {
        var session = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));

        Assert.Equal(_sandbox.Server.OpenIdOf(MiniProgram, "xiaoming"), (string)session["openid"]!);
        Assert.Equal(16, Convert.FromBase64String((string)session["session_key"]!).Length);
        Assert.Equal(_sandbox.Server.UnionIdOf(OfficialAccount, "xiaoming"), (string)session["unionid"]!);
        Assert.False(session.ContainsKey("errcode"));
    }

    [Fact]
    public async Task UnboundMiniProgramGetsNoUnionIdAnywhere()
    {
        var session = await _sandbox.Code2SessionAsync(UnboundMiniProgram, await _sandbox.WxLoginAsync(UnboundMiniProgram, "xiaoming"));
        var data = await UserDataAsync(UnboundMiniProgram, "xiaoming");

        Assert.False(session.ContainsKey("unionid"));
        Assert.Null(_sandbox.Server.UnionIdOf(UnboundMiniProgram, "xiaoming"));
        Assert.False(Decrypt(data, (string)session["session_key"]!).ContainsKey("unionId"));
    }

    [Fact]
    public async Task TwoStepMiniProgramRevealsTheUnionIdOnlyInTheEncryptedData()
    {
        var session = await _sandbox.Code2SessionAsync(TwoStepMiniProgram, await _sandbox.WxLoginAsync(TwoStepMiniProgram, "xiaoming"));
        var data = await UserDataAsync(TwoStepMiniProgram, "xiaoming");

        Assert.False(session.ContainsKey("unionid"));
        Assert.Equal(_sandbox.Server.UnionIdOf(OfficialAccount, "xiaoming"), (string)Decrypt(data, (string)session["session_key"]!)["unionId"]!);
    }

    [Fact]
    public async Task SessionKeyRotatesAtEveryCode2Session()
    {
        var first = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var second = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));

        Assert.NotEqual((string)first["session_key"]!, (string)second["session_key"]!);
        Assert.Equal((string)first["openid"]!, (string)second["openid"]!);
    }

    [Fact]
    public async Task ReusedWxLoginCodeIsRejectedWith40163()
    {
        var code = await _sandbox.WxLoginAsync(MiniProgram, "xiaoming");
        await _sandbox.Code2SessionAsync(MiniProgram, code);

        AssertErrcode(40163, await _sandbox.Code2SessionAsync(MiniProgram, code));
    }

    [Fact]
    public async Task WxLoginCodeOlderThanFiveMinutesIsRejectedWith42003()
    {
        var code = await _sandbox.WxLoginAsync(MiniProgram, "xiaoming");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(6));

        AssertErrcode(42003, await _sandbox.Code2SessionAsync(MiniProgram, code));
    }

    [Fact]
    public async Task OAuthCodeIsNotAWxLoginCode()
    {
        AssertErrcode(40029, await _sandbox.Code2SessionAsync(MiniProgram, _sandbox.Server.IssueAppSdkCode(MobileApp, "xiaoming")));
        AssertErrcode(40029, await _sandbox.Code2SessionAsync(MiniProgram, _sandbox.Server.IssuePhoneCode(MiniProgram, "xiaoming")));
    }

    [Theory]
    [InlineData("appid=wx_sandbox_mp&secret=sandbox-secret-mp&grant_type=authorization_code", 41008)]
    [InlineData("appid=wx_sandbox_mp&secret=sandbox-secret-mp&js_code=unknown&grant_type=authorization_code", 40029)]
    [InlineData("appid=wx_nobody&secret=sandbox-secret-mp&js_code=c&grant_type=authorization_code", 40013)]
    [InlineData("appid=wx_sandbox_oa&secret=sandbox-secret-oa&js_code=c&grant_type=authorization_code", 40013)]
    [InlineData("appid=wx_sandbox_mp&secret=wrong&js_code=c&grant_type=authorization_code", 40125)]
    [InlineData("appid=wx_sandbox_mp&secret=sandbox-secret-mp&js_code=c", 40002)]
    public async Task BadCode2SessionRequestsGetWeChatsErrcodes(string query, int errcode)
    {
        AssertErrcode(errcode, await _sandbox.GetApiAsync("/sns/jscode2session?" + query));
    }

    [Fact]
    public async Task On2026EncryptedDataIsAnonymousButKeepsTheRealOpenIdAndUnionId()
    {
        var session = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var data = await UserDataAsync(MiniProgram, "xiaoming");

        var plain = Decrypt(data, (string)session["session_key"]!);

        Assert.Equal((string)session["openid"]!, (string)plain["openId"]!);
        Assert.Equal((string)session["unionid"]!, (string)plain["unionId"]!);
        Assert.Equal("微信用户", (string)plain["nickName"]!);
        Assert.Equal(Gateway.WeChatSandbox.AnonymousProfile.AvatarUrl, (string)plain["avatarUrl"]!);
        Assert.Equal(0, (int)plain["gender"]!);
        Assert.Equal(("", "", ""), ((string)plain["country"]!, (string)plain["province"]!, (string)plain["city"]!));
        Assert.Equal(MiniProgram, (string)plain["watermark"]!["appid"]!);
    }

    [Fact]
    public async Task LegacyEncryptedDataDecryptsWithAnIndependentAesToTheSeedsPlaintext()
    {
        var session = await _sandbox.Code2SessionAsync(TwoStepMiniProgram, await _sandbox.WxLoginAsync(TwoStepMiniProgram, "xiaoming"));
        var data = await UserDataAsync(TwoStepMiniProgram, "xiaoming");

        var plain = Decrypt(data, (string)session["session_key"]!);

        Assert.Equal((string)session["openid"]!, (string)plain["openId"]!);
        Assert.Equal(_sandbox.Server.UnionIdOf(TwoStepMiniProgram, "xiaoming"), (string)plain["unionId"]!);
        Assert.Equal("小明🐼", (string)plain["nickName"]!);
        Assert.Equal(1, (int)plain["gender"]!);
        Assert.Equal("zh_CN", (string)plain["language"]!);
        Assert.Equal("Guangzhou", (string)plain["city"]!);
        Assert.Equal("Guangdong", (string)plain["province"]!);
        Assert.Equal("CN", (string)plain["country"]!);
        Assert.StartsWith("https://", (string)plain["avatarUrl"]!);
        Assert.Equal(TwoStepMiniProgram, (string)plain["watermark"]!["appid"]!);
        Assert.Equal(_sandbox.Clock.GetUtcNow().ToUnixTimeSeconds(), (long)plain["watermark"]!["timestamp"]!);
    }

    [Fact]
    public async Task SignatureIsSha1OfRawDataAndSessionKey()
    {
        var session = await _sandbox.Code2SessionAsync(TwoStepMiniProgram, await _sandbox.WxLoginAsync(TwoStepMiniProgram, "xiaoming"));
        var data = await UserDataAsync(TwoStepMiniProgram, "xiaoming");
        var rawData = (string)data["rawData"]!;

        Assert.Equal(Sha1Hex(rawData + (string)session["session_key"]!), (string)data["signature"]!);
        Assert.Contains("\"nickName\":\"小明🐼\"", rawData);
        Assert.Equal("小明🐼", (string)data["userInfo"]!["nickName"]!);
        Assert.Equal("小明🐼", (string)JsonNode.Parse(rawData)!["nickName"]!);
    }

    [Fact]
    public void OfficialSignatureVectorIsReproduced()
    {
        const string rawData = "{\"nickName\":\"Band\",\"gender\":1,\"language\":\"zh_CN\",\"city\":\"Guangzhou\",\"province\":\"Guangdong\",\"country\":\"CN\",\"avatarUrl\":\"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0\"}";
        const string sessionKey = "HyVFkGl5F5OQWJZZaNzBBg==";
        const string expected = "75e81ceda165f4ffa64f4068af58c64b8f54b88c";

        Assert.Equal(expected, Sha1Hex(rawData + sessionKey));
        Assert.Equal(expected, Gateway.WeChatSandbox.UserDataCipher.Signature(rawData, sessionKey));
    }

    [Fact]
    public void IndependentAesDecryptsTheFips197Vector()
    {
        var key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var ciphertext = Convert.FromHexString("69c4e0d86a7b0430d8cdb78070b4c55a");

        var plain = IndependentAes.DecryptBlock(ciphertext, IndependentAes.ExpandKey(key));

        Assert.Equal("00112233445566778899aabbccddeeff", Convert.ToHexStringLower(plain));
    }

    [Fact]
    public async Task DataEncryptedBeforeALaterLoginDoesNotDecryptWithTheNewSessionKey()
    {
        await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var stale = await UserDataAsync(MiniProgram, "xiaoming");
        var latest = await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));

        Assert.ThrowsAny<Exception>(() => Decrypt(stale, (string)latest["session_key"]!));
        var fresh = await UserDataAsync(MiniProgram, "xiaoming");
        Assert.Equal((string)latest["openid"]!, (string)Decrypt(fresh, (string)latest["session_key"]!)["openId"]!);
    }

    [Fact]
    public async Task UserDataBeforeAnyCode2SessionIsAConflict()
    {
        var error = await _sandbox.PostHelperAsync($"/sandbox/user-data?appid={MiniProgram}&user=alice", HttpStatusCode.Conflict);

        Assert.Equal("no_session", (string)error["code"]!);
    }

    [Theory]
    [InlineData("/sandbox/wxlogin?appid=wx_sandbox_oa&user=xiaoming", HttpStatusCode.BadRequest, "wrong_app_kind")]
    [InlineData("/sandbox/wxlogin?appid=wx_sandbox_mp&user=mallory", HttpStatusCode.NotFound, "unknown_user")]
    [InlineData("/sandbox/wxlogin?appid=wx_nobody&user=xiaoming", HttpStatusCode.NotFound, "unknown_app")]
    [InlineData("/sandbox/wxlogin?appid=wx_sandbox_mp", HttpStatusCode.BadRequest, "missing_parameter")]
    [InlineData("/sandbox/app-code?appid=wx_sandbox_mp&user=xiaoming", HttpStatusCode.BadRequest, "wrong_app_kind")]
    [InlineData("/sandbox/phone-code?appid=wx_sandbox_mp&user=xiaohong", HttpStatusCode.BadRequest, "no_phone")]
    [InlineData("/sandbox/authorize-code?appid=wx_sandbox_oa&user=xiaoming&scope=snsapi_login", HttpStatusCode.BadRequest, "invalid_scope")]
    [InlineData("/sandbox/user-data?appid=wx_sandbox_app&user=xiaoming", HttpStatusCode.BadRequest, "wrong_app_kind")]
    public async Task HelperMisuseGetsAMachineReadableError(string pathAndQuery, HttpStatusCode status, string code)
    {
        var error = await _sandbox.PostHelperAsync(pathAndQuery, status);

        Assert.Equal(code, (string)error["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
    }

    [Fact]
    public async Task AuthorizeCodeHelperSkipsTheConsentPage()
    {
        var code = (string)(await _sandbox.PostHelperAsync($"/sandbox/authorize-code?appid={OfficialAccount}&user=alice&scope=snsapi_userinfo"))["code"]!;

        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code);

        Assert.Equal(_sandbox.Server.OpenIdOf(OfficialAccount, "alice"), (string)token["openid"]!);
    }

    [Fact]
    public async Task UsersHelperListsEachUsersIdentifiers()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url("/sandbox/users"));
        var users = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        var xiaoming = users.Single(u => (string)u!["key"]! == "xiaoming")!;
        Assert.Equal(_sandbox.Server.OpenIdOf(MiniProgram, "xiaoming"), (string)xiaoming["openids"]![MiniProgram]!);
        Assert.Null(xiaoming["unionids"]![UnboundMiniProgram]);
        Assert.True((bool)users.Single(u => (string)u!["key"]! == "snapshot")!["snapshot"]!);
        Assert.Equal("13800138000", (string)xiaoming["phone"]!);
    }

    [Fact]
    public async Task AppsHelperListsKindsAndBindingWithoutSecrets()
    {
        using var response = await _sandbox.Http.GetAsync(_sandbox.Url("/sandbox/apps"));
        var body = await response.Content.ReadAsStringAsync();
        var apps = JsonNode.Parse(body)!.AsArray();

        var unbound = apps.Single(a => (string)a!["appid"]! == UnboundMiniProgram)!;
        Assert.Equal("MiniProgram", (string)unbound["kind"]!);
        Assert.False((bool)unbound["bound"]!);
        Assert.Equal("Legacy", (string)apps.Single(a => (string)a!["appid"]! == TwoStepMiniProgram)!["behaviour"]!);
        Assert.Equal("WeChat2026", (string)unbound["behaviour"]!);
        Assert.DoesNotContain("sandbox-secret", body);
    }

    private async Task<JsonObject> UserDataAsync(string appId, string user) =>
        await _sandbox.PostHelperAsync($"/sandbox/user-data?appid={appId}&user={user}");

    /// <summary>Decrypts as a server would, with the test's own AES; the JSON parse is part of the check.</summary>
    private static JsonObject Decrypt(JsonObject data, string sessionKey)
    {
        var plain = IndependentAes.DecryptCbcPkcs7(
            Convert.FromBase64String(sessionKey),
            Convert.FromBase64String((string)data["iv"]!),
            Convert.FromBase64String((string)data["encryptedData"]!));
        return JsonNode.Parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plain))!.AsObject();
    }

    private static string Sha1Hex(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
}
