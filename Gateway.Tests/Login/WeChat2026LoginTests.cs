using System.Net;
using System.Text.Json;
using Gateway.Auth.Identity;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Login;

/// <summary>
/// Logins against WeChat as it behaves in 2026 (anonymous Mini Program profiles, no gender or region) and against
/// the legacy behaviour the seed articles describe, through the real gateway and the sandbox.
/// </summary>
public sealed class WeChat2026LoginTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    private readonly string _user = fixture.Bed.NewUser();

    private IPersonDirectory Directory => _bed.Gateway.Services.GetRequiredService<IPersonDirectory>();

    private async Task<JsonElement> BindAsync(string app, string appId, string ticket, string? user = null)
    {
        var data = _bed.Sandbox.EncryptUserData(appId, user ?? _user);
        var (response, body) = await _bed.PostAsync($"/auth/wechat/miniprogram/{app}/bind", new
        {
            ticket, encryptedData = data.EncryptedData, iv = data.Iv, rawData = data.RawData, signature = data.Signature,
        });
        Assert.True(response.IsSuccessStatusCode, body.GetRawText());
        return body;
    }

    private async Task<string> TicketAsync(string app, string appId)
    {
        var (_, body) = await _bed.MiniProgramLoginAsync(app, appId, _user);
        Assert.Equal("user_info_needed", body.GetProperty("status").GetString());
        return body.GetProperty("ticket").GetString()!;
    }

    private Task<(HttpResponseMessage Response, JsonElement Body)> FillInAsync(string bearer, object body) =>
        _bed.PostAsync("/auth/profile", body, bearer);

    [Fact]
    public async Task ANewUserOn2026GetsAPersonWithoutTheAnonymousNicknameThenSetsOneThroughFillIn()
    {
        var signedIn = await BindAsync("unbound", LoginTestbed.Unbound, await TicketAsync("unbound", LoginTestbed.Unbound));
        var token = signedIn.GetProperty("token").GetString()!;
        var personId = signedIn.GetProperty("personId").GetInt64();

        var created = await Directory.FindByIdAsync(personId);
        Assert.Null(created!.Nickname);
        Assert.Null(created.AvatarUrl);
        var (_, before) = await _bed.GetAsync("/auth/session", token);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("profile").GetProperty("nickname").ValueKind);

        var avatar = $"https://{LoginTestbed.AvatarHost}/avatars/{_user}.png";
        var (saved, savedBody) = await FillInAsync(token, new { nickname = "小明同学🐼", avatarUrl = avatar });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("小明同学🐼", savedBody.GetProperty("nickname").GetString());
        var (_, after) = await _bed.GetAsync("/auth/session", token);
        Assert.Equal("小明同学🐼", after.GetProperty("profile").GetProperty("nickname").GetString());
        Assert.Equal(avatar, after.GetProperty("profile").GetProperty("avatarUrl").GetString());
        var (managed, person) = await _bed.ManageAsync(HttpMethod.Get, $"/_gateway/persons/{personId}");
        Assert.Equal(HttpStatusCode.OK, managed.StatusCode);
        Assert.Equal("小明同学🐼", person.GetProperty("nickname").GetString());
        Assert.Equal(ProfileSources.UserFillIn, person.GetProperty("profileSources").GetProperty("nicknameSource").GetString());
        Assert.Equal(ProfileSources.UserFillIn, person.GetProperty("profileSources").GetProperty("avatarSource").GetString());
        Assert.Equal(JsonValueKind.String, person.GetProperty("profileSources").GetProperty("nicknameSetAt").ValueKind);
    }

    [Fact]
    public async Task ABoundMiniProgramOn2026SignsInFromCode2SessionAndStoresNoProfile()
    {
        var (response, body) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_bed.UnionIdOf(LoginTestbed.MiniProgram, _user), body.GetProperty("unionId").GetString());
        var person = await Directory.FindByIdAsync(body.GetProperty("personId").GetInt64());
        Assert.Null(person!.Nickname);
        Assert.Null(person.ProfileSources!.NicknameSource);
    }

    [Fact]
    public async Task ALegacyBehaviourAppStillTakesTheTwoStepPathWithTheRealProfile()
    {
        var ticket = await TicketAsync("twostep", LoginTestbed.TwoStep);

        var body = await BindAsync("twostep", LoginTestbed.TwoStep, ticket);

        Assert.Equal(_bed.UnionIdOf(LoginTestbed.TwoStep, _user), body.GetProperty("unionId").GetString());
        var person = await Directory.FindByIdAsync(body.GetProperty("personId").GetInt64());
        Assert.Equal(LoginTestbed.NicknameOf(_user), person!.Nickname);
        Assert.Equal(ProfileSources.MiniProgramUserData, person.ProfileSources!.NicknameSource);
    }

    [Fact]
    public async Task AStaleSessionKeyYieldsSessionKeyExpiredNotDecryptFailed()
    {
        var ticket = await TicketAsync("twostep", LoginTestbed.TwoStep);
        _bed.Sandbox.ExpireSessionKey(LoginTestbed.TwoStep, _user);
        var data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, _user);

        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/twostep/bind", new
        {
            ticket, encryptedData = data.EncryptedData, iv = data.Iv, rawData = data.RawData, signature = data.Signature,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("session_key_expired", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task CorruptDataUnderACurrentSessionKeyIsStillDecryptFailed()
    {
        var ticket = await TicketAsync("twostep", LoginTestbed.TwoStep);
        var data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, _user);
        var corrupt = Convert.FromBase64String(data.EncryptedData);
        corrupt[^1] ^= 0x5a;

        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/twostep/bind", new
        {
            ticket, encryptedData = Convert.ToBase64String(corrupt), iv = data.Iv,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("decrypt_failed", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ALegacyPhoneDecryptAttachesTheNumberAndOnAStaleKeyAnswersSessionKeyExpired()
    {
        var (_, signedIn) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        var token = signedIn.GetProperty("token").GetString()!;
        var current = _bed.Sandbox.EncryptPhoneData(LoginTestbed.MiniProgram, _user);

        var (attached, phone) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone/legacy", new { encryptedData = current.EncryptedData, iv = current.Iv }, token);

        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        Assert.Equal(phone.GetProperty("phoneNumber").GetString(), (await Directory.FindByIdAsync(signedIn.GetProperty("personId").GetInt64()))!.Phone);

        _bed.Sandbox.ExpireSessionKey(LoginTestbed.MiniProgram, _user);
        var stale = _bed.Sandbox.EncryptPhoneData(LoginTestbed.MiniProgram, _user);
        var (refused, body) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone/legacy", new { encryptedData = stale.EncryptedData, iv = stale.Iv }, token);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("session_key_expired", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AManagementResetReplacesTheSessionKeyAtWeChatAndInTheGatewayWithAnAuditLine()
    {
        var ticket = await TicketAsync("twostep", LoginTestbed.TwoStep);
        var openId = _bed.OpenIdOf(LoginTestbed.TwoStep, _user);

        var (reset, _) = await _bed.ManageAsync(HttpMethod.Post, $"/_gateway/persons/by-openid/{LoginTestbed.TwoStep}/{openId}/reset-session-key");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        // The sandbox now encrypts with the new key; the bind decrypts only if the gateway kept that same key.
        var body = await BindAsync("twostep", LoginTestbed.TwoStep, ticket);
        Assert.Equal(_bed.UnionIdOf(LoginTestbed.TwoStep, _user), body.GetProperty("unionId").GetString());
        Assert.Contains(_bed.Logs.All.Split('\n'), line => line.Contains("AUDIT") && line.Contains("wxa/resetusersessionkey") && line.Contains(LoginTestbed.TwoStep));
    }

    [Fact]
    public async Task ResettingTheSessionKeyOfAUserTheGatewayNeverSawIsAConflictAndAnUnknownAppIsNotFound()
    {
        var openId = _bed.OpenIdOf(LoginTestbed.TwoStep, _user);

        var (unknownUser, unknownBody) = await _bed.ManageAsync(HttpMethod.Post, $"/_gateway/persons/by-openid/{LoginTestbed.TwoStep}/{openId}/reset-session-key");
        var (unknownApp, _) = await _bed.ManageAsync(HttpMethod.Post, $"/_gateway/persons/by-openid/{LoginTestbed.OfficialAccount}/{openId}/reset-session-key");

        Assert.Equal(HttpStatusCode.Conflict, unknownUser.StatusCode);
        Assert.Equal("session_key_unknown", unknownBody.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknownApp.StatusCode);
    }

    [Fact]
    public async Task PlaceholdersNeverOverwriteRealValues()
    {
        var first = await AppLoginAsync(LoginTestbed.AnonymousUser);
        var token = first.GetProperty("token").GetString()!;
        var personId = first.GetProperty("personId").GetInt64();
        Assert.Null((await Directory.FindByIdAsync(personId))!.Nickname);
        var avatar = $"https://{LoginTestbed.AvatarHost}/avatars/anon.png";
        Assert.Equal(HttpStatusCode.OK, (await FillInAsync(token, new { nickname = "老王", avatarUrl = avatar })).Response.StatusCode);

        // WeChat answers "微信用户" and its default avatar again: the person keeps what they chose.
        var again = await AppLoginAsync(LoginTestbed.AnonymousUser);

        Assert.Equal(personId, again.GetProperty("personId").GetInt64());
        var person = await Directory.FindByIdAsync(personId);
        Assert.Equal(("老王", avatar), (person!.Nickname, person.AvatarUrl));
        Assert.Equal(ProfileSources.UserFillIn, person.ProfileSources!.NicknameSource);
    }

    [Fact]
    public async Task ARealWeChatNicknameIsStoredWithItsSourceAndNoGenderOrRegionIsAskedFor()
    {
        var body = await AppLoginAsync(_user);

        var person = await Directory.FindByIdAsync(body.GetProperty("personId").GetInt64());
        Assert.Equal(LoginTestbed.NicknameOf(_user), person!.Nickname);
        Assert.Equal(ProfileSources.MobileAppUserInfo, person.ProfileSources!.NicknameSource);
        Assert.Equal(ProfileSources.MobileAppUserInfo, person.ProfileSources.AvatarSource);
    }

    [Theory]
    [InlineData("{\"nickname\":\"tab\\there\"}", "invalid_profile")]
    [InlineData("{\"nickname\":\"line\\u2028break\"}", "invalid_profile")]
    [InlineData("{\"nickname\":\" padded\"}", "invalid_profile")]
    [InlineData("{\"nickname\":\"微信用户\"}", "invalid_profile")]
    [InlineData("{\"nickname\":\"\\ud83d\"}", "invalid_request")]
    [InlineData("{\"nickname\":\"123456789012345678901234567890123\"}", "invalid_profile")]
    [InlineData("{\"avatarUrl\":\"http://cdn.shop.example.com/a.png\"}", "invalid_profile")]
    [InlineData("{\"avatarUrl\":\"https://evil.example.net/a.png\"}", "invalid_profile")]
    [InlineData("{\"avatarUrl\":\"https://user@cdn.shop.example.com/a.png\"}", "invalid_profile")]
    [InlineData("{\"avatarUrl\":\"javascript:alert(1)\"}", "invalid_profile")]
    [InlineData("{}", "invalid_request")]
    [InlineData("{\"nickname\":42}", "invalid_request")]
    [InlineData("[]", "invalid_request")]
    public async Task FillInRefusesInputItCannotStoreAsTheUsersOwnChoice(string json, string code)
    {
        var (_, signedIn) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/profile") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", signedIn.GetProperty("token").GetString());

        var (response, body) = await _bed.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Null((await Directory.FindByIdAsync(signedIn.GetProperty("personId").GetInt64()))!.Nickname);
    }

    [Fact]
    public async Task FillInCountsCodePointsSoThirtyTwoEmojiFit()
    {
        var (_, signedIn) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        var emoji = string.Concat(Enumerable.Repeat("🐼", 32));

        var (response, body) = await FillInAsync(signedIn.GetProperty("token").GetString()!, new { nickname = emoji });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(emoji, body.GetProperty("nickname").GetString());
    }

    [Fact]
    public async Task ACrossSiteFormCannotFillInAProfile()
    {
        var (_, signedIn) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/profile")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["nickname"] = "攻击者" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", signedIn.GetProperty("token").GetString());

        var (response, body) = await _bed.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", body.GetProperty("code").GetString());
        Assert.Null((await Directory.FindByIdAsync(signedIn.GetProperty("personId").GetInt64()))!.Nickname);
    }

    [Fact]
    public async Task FillInWithoutASessionIsRefused()
    {
        var (response, body) = await _bed.PostAsync("/auth/profile", new { nickname = "小明" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", body.GetProperty("code").GetString());
    }

    private async Task<JsonElement> AppLoginAsync(string user)
    {
        var (response, body) = await _bed.PostAsync("/auth/wechat/app/app/login", new { code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, user) });
        Assert.True(response.IsSuccessStatusCode, body.GetRawText());
        return body;
    }
}
