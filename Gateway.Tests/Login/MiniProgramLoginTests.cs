using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Auth.Identity;
using Gateway.Auth.Login;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using EncryptedUserData = Gateway.WeChatSandbox.EncryptedUserData;

namespace Gateway.Tests.Login;

/// <summary>
/// The Mini Program login. The theories over <see cref="TestServers.RedisTopologies"/> are the ones whose Redis
/// operations a Cluster's hash slots or a Sentinel's primary could break (the session issued, the cached session key,
/// the take-once ticket and its expiry); the rest run on the single node (docs/high-availability.md).
/// </summary>
public sealed class MiniProgramLoginTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    /// <summary>This test's own WeChat user: the testbed is shared, and a bound user no longer gets tickets.</summary>
    private readonly string _user = fixture.Bed.NewUser();

    private static string Code(System.Text.Json.JsonElement body) => body.GetProperty("code").GetString()!;

    /// <summary>The class's testbed on <paramref name="redis"/> and a WeChat user of its own there.</summary>
    private async Task<(LoginTestbed Bed, string User)> OnAsync(RedisTopology redis)
    {
        var bed = await fixture.OnAsync(redis);
        return (bed, bed.NewUser());
    }

    private Task<string> TicketAsync(string? user = null) => TicketAsync(_bed, user ?? _user);

    private static async Task<string> TicketAsync(LoginTestbed bed, string user)
    {
        var (_, body) = await bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, user);
        Assert.Equal("user_info_needed", body.GetProperty("status").GetString());
        return body.GetProperty("ticket").GetString()!;
    }

    private Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> BindAsync(string ticket, object? data = null, string app = "twostep") =>
        BindAsync(_bed, _user, ticket, data, app);

    private static Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> BindAsync(
        LoginTestbed bed, string user, string ticket, object? data = null, string app = "twostep") =>
        bed.PostAsync($"/auth/wechat/miniprogram/{app}/bind", data ?? Bind(ticket, bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, user)));

    private static object Bind(string ticket, EncryptedUserData data) =>
        new { ticket, encryptedData = data.EncryptedData, iv = data.Iv, rawData = data.RawData, signature = data.Signature };

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task UnionIdFromCode2SessionSignsInAtOnceWithABearerSession(RedisTopology redis)
    {
        var (bed, user) = await OnAsync(redis);

        var (response, body) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(bed.UnionIdOf(LoginTestbed.MiniProgram, user), body.GetProperty("unionId").GetString());
        var (session, current) = await bed.SendAsync(Get("/auth/session", body.GetProperty("token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Equal(body.GetProperty("personId").GetInt64(), current.GetProperty("personId").GetInt64());
        Assert.DoesNotContain("session_key", body.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task WithoutUnionIdAnUnknownOpenIdGetsATicketAndBindSignsInWithTheDecryptedUnionId(RedisTopology redis)
    {
        var (bed, user) = await OnAsync(redis);

        var (response, first) = await bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("user_info_needed", first.GetProperty("status").GetString());
        Assert.InRange(first.GetProperty("expiresIn").GetInt32(), 1, 300);
        Assert.False(first.TryGetProperty("token", out _));

        var (bound, body) = await BindAsync(bed, user, first.GetProperty("ticket").GetString()!);

        Assert.Equal(HttpStatusCode.OK, bound.StatusCode);
        Assert.Equal(bed.UnionIdOf(LoginTestbed.TwoStep, user), body.GetProperty("unionId").GetString());
        var person = await bed.Gateway.Services.GetRequiredService<IPersonDirectory>().FindByIdAsync(body.GetProperty("personId").GetInt64());
        Assert.Equal(LoginTestbed.NicknameOf(user), person!.Nickname);
    }

    [Fact]
    public async Task AnOpenIdAlreadyKnownSignsInWithoutATicket()
    {
        var first = await _bed.TwoStepLoginAsync("twostep", LoginTestbed.TwoStep, _user);

        var (response, again) = await _bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, _user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", again.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("personId").GetInt64(), again.GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task AnUnboundMiniProgramBindsByOpenIdAndKnowsTheUserNextTime()
    {
        var first = await _bed.TwoStepLoginAsync("unbound", LoginTestbed.Unbound, _user);

        var (_, again) = await _bed.MiniProgramLoginAsync("unbound", LoginTestbed.Unbound, _user);

        Assert.False(first.TryGetProperty("unionId", out _));
        Assert.Equal(first.GetProperty("personId").GetInt64(), again.GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task TheSameUnionIdThroughTwoMiniProgramsIsOnePerson()
    {
        var (_, direct) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);

        var bound = await _bed.TwoStepLoginAsync("twostep", LoginTestbed.TwoStep, _user);

        Assert.Equal(direct.GetProperty("personId").GetInt64(), bound.GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task ATicketIsUsedOnceAndASecondBindIsTicketInvalid()
    {
        var ticket = await TicketAsync();
        await BindAsync(ticket);

        var (response, body) = await BindAsync(ticket);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ticket_invalid", Code(body));
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task ConcurrentBindsWithOneTicketYieldExactlyOneSession(RedisTopology redis)
    {
        var (bed, user) = await OnAsync(redis);
        var ticket = await TicketAsync(bed, user);
        var data = Bind(ticket, bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, user));

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => BindAsync(bed, user, ticket, data)));

        Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Response.StatusCode != HttpStatusCode.OK), r => Assert.Equal("ticket_invalid", Code(r.Body)));
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not a ticket")]
    public async Task AnUnknownTicketIsTicketInvalid(string ticket)
    {
        await TicketAsync();

        var (response, body) = await BindAsync(ticket);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ticket_invalid", Code(body));
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task AnExpiredTicketIsTicketInvalid(RedisTopology redis)
    {
        // The ticket's lifetime is its key's time to live in the deployment under test.
        var settings = LoginFixture.RedisSettings(redis);
        settings["Login:TicketLifetime"] = "00:00:01";
        await using var bed = await LoginTestbed.StartAsync(settings);
        var (_, first) = await bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, _user);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var (response, body) = await bed.PostAsync("/auth/wechat/miniprogram/twostep/bind", Bind(first.GetProperty("ticket").GetString()!, bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, _user)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ticket_invalid", Code(body));
    }

    [Fact]
    public async Task ATicketOfAnotherMiniProgramIsTicketInvalid()
    {
        var ticket = await TicketAsync();

        var (response, body) = await BindAsync(ticket, app: "unbound");

        Assert.Equal("ticket_invalid", Code(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task DataEncryptedBeforeALaterLoginIsDecryptFailedTellingTheClientToLogInAgain(RedisTopology redis)
    {
        var (bed, user) = await OnAsync(redis);
        var ticket = await TicketAsync(bed, user);
        var stale = bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, user);
        await TicketAsync(bed, user);

        var (response, body) = await BindAsync(bed, user, ticket, Bind(ticket, stale));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("decrypt_failed", Code(body));
        // The user reads "log in again"; the developer reads which call starts over.
        Assert.Contains("重新登录", body.GetProperty("message").GetString());
        Assert.Contains("wx.login", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task DataWatermarkedForAnotherAppIsWatermarkMismatch()
    {
        var ticket = await TicketAsync();
        // The attacker knows this user's session_key (e.g. a compromised client) and forges data from another app.
        var store = _bed.Gateway.Services.GetRequiredService<IEphemeralStore>();
        var openId = _bed.OpenIdOf(LoginTestbed.TwoStep, _user);
        var sessionKey = await store.GetAsync(MiniProgramTickets.SessionKeyKey(LoginTestbed.TwoStep, openId));
        var forged = Encrypt(sessionKey!, $"{{\"openId\":\"{openId}\",\"unionId\":\"oU_forged\",\"watermark\":{{\"appid\":\"{LoginTestbed.MiniProgram}\",\"timestamp\":1}}}}", out var iv);

        var (response, body) = await BindAsync(ticket, new { ticket, encryptedData = forged, iv });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("watermark_mismatch", Code(body));
    }

    [Fact]
    public async Task TamperedRawDataIsSignatureInvalid()
    {
        var ticket = await TicketAsync();
        var data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, _user);

        var (response, body) = await BindAsync(ticket, new { ticket, encryptedData = data.EncryptedData, iv = data.Iv, rawData = data.RawData.Replace("用户", "大明"), signature = data.Signature });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("signature_invalid", Code(body));
    }

    [Fact]
    public async Task PlusSignsTurnedIntoSpacesAreRepaired()
    {
        var ticket = await TicketAsync();
        EncryptedUserData data;
        do
        {
            data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, _user);
        }
        while (!data.EncryptedData.Contains('+'));

        var (response, _) = await BindAsync(ticket, new { ticket, encryptedData = data.EncryptedData.Replace('+', ' '), iv = data.Iv.Replace('+', ' ') });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MalformedBindInputIsInvalidRequestAndLeavesTheTicketUsable()
    {
        var ticket = await TicketAsync();
        var data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, _user);

        var (missing, missingBody) = await BindAsync(ticket, new { ticket, iv = data.Iv });
        var (halfSigned, halfBody) = await BindAsync(ticket, new { ticket, encryptedData = data.EncryptedData, iv = data.Iv, rawData = data.RawData });
        var (ok, _) = await BindAsync(ticket, Bind(ticket, data));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (missing.StatusCode, Code(missingBody)));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (halfSigned.StatusCode, Code(halfBody)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ADisabledPersonIsRefused()
    {
        var (_, first) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        await _bed.Gateway.Services.GetRequiredService<IPersonDirectory>().SetDisabledAsync(first.GetProperty("personId").GetInt64(), disabled: true);

        var (response, body) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("person_disabled", Code(body));
    }

    [Fact]
    public async Task ASessionKeyNeverLeavesTheGatewayNorReachesItsLogs()
    {
        var (_, first) = await _bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, _user);
        var store = _bed.Gateway.Services.GetRequiredService<IEphemeralStore>();
        var sessionKey = await store.GetAsync(MiniProgramTickets.SessionKeyKey(LoginTestbed.TwoStep, _bed.OpenIdOf(LoginTestbed.TwoStep, _user)));
        var bound = await BindAsync(first.GetProperty("ticket").GetString()!);

        Assert.NotNull(sessionKey);
        Assert.DoesNotContain(sessionKey, first.GetRawText());
        Assert.DoesNotContain(sessionKey, bound.Body.GetRawText());
        Assert.DoesNotContain(sessionKey, _bed.Logs.All);
        Assert.DoesNotContain(first.GetProperty("ticket").GetString()!, _bed.Logs.All);
        Assert.DoesNotContain(bound.Body.GetProperty("token").GetString()!, _bed.Logs.All);
        Assert.DoesNotContain("sandbox-secret-", _bed.Logs.All);
    }

    private static HttpRequestMessage Get(string path, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }


    private static string Encrypt(string sessionKey, string json, out string iv)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(sessionKey);
        var ivBytes = RandomNumberGenerator.GetBytes(16);
        iv = Convert.ToBase64String(ivBytes);
        return Convert.ToBase64String(aes.EncryptCbc(Encoding.UTF8.GetBytes(json), ivBytes, PaddingMode.PKCS7));
    }
}
