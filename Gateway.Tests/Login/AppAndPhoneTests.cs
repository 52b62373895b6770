using System.Net;
using Gateway.Auth.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Login;

public sealed class AppAndPhoneTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    private static string Code(System.Text.Json.JsonElement body) => body.GetProperty("code").GetString()!;

    private static HttpRequestMessage GetWithBearer(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task TheMobileAppCodeSignsInWithABearerSessionAndTheProfile()
    {
        var (response, body) = await _bed.PostAsync("/auth/wechat/app/app/login", new { code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, "xiaoming") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_bed.UnionIdOf(LoginTestbed.MobileApp, "xiaoming"), body.GetProperty("unionId").GetString());
        Assert.StartsWith("wgs", body.GetProperty("token").GetString());
        var person = await _bed.Gateway.Services.GetRequiredService<IPersonDirectory>().FindByIdAsync(body.GetProperty("personId").GetInt64());
        Assert.Equal("小明🐼", person!.Nickname);
        Assert.Contains(person.AppIdentities, i => i.AppId == LoginTestbed.MobileApp && i.Channel == LoginChannel.MobileApp);
    }

    [Fact]
    public async Task APhoneCodeAttachesTheNumberToThePersonOfTheBearerSession()
    {
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "alice");

        var (response, body) = await _bed.PostAsync(
            "/auth/wechat/miniprogram/mp/phone", new { code = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, "alice") }, login.GetProperty("token").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("+12025550143", "2025550143", "1"), (body.GetProperty("phoneNumber").GetString(), body.GetProperty("purePhoneNumber").GetString(), body.GetProperty("countryCode").GetString()));
        var person = await _bed.Gateway.Services.GetRequiredService<IPersonDirectory>().FindByIdAsync(login.GetProperty("personId").GetInt64());
        Assert.Equal("+12025550143", person!.Phone);
    }

    [Fact]
    public async Task AttachingAPhoneNumberOpensVerifiedPhoneRoutesToTheSameSessionAtOnce()
    {
        var user = _bed.NewUser();
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
        var token = login.GetProperty("token").GetString()!;
        var before = await _bed.SendAsync(GetWithBearer("/verified/orders", token));

        var (attached, _) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone", new { code = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, user) }, token);
        var after = await _bed.SendAsync(GetWithBearer("/verified/orders", token));

        Assert.Equal(HttpStatusCode.Forbidden, before.Response.StatusCode);
        Assert.Equal("forbidden", Code(before.Body));
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.Response.StatusCode);
    }

    [Fact]
    public async Task PhoneNumbersOfSeveralUsersShareOneAppTokenFetch()
    {
        foreach (var user in new[] { "xiaoming", "alice" })
        {
            var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
            var (response, _) = await _bed.PostAsync(
                "/auth/wechat/miniprogram/mp/phone", new { code = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, user) }, login.GetProperty("token").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Contains(_bed.Logs.Lines, l => l.Contains("Fetched the access_token of app wx_sandbox_mp"));
        Assert.Single(_bed.Logs.Lines, l => l.Contains("Fetched the access_token of app wx_sandbox_mp"));
    }

    [Fact]
    public async Task ThePhoneEndpointWithoutASessionIsSessionRequired401()
    {
        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone", new { code = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, "alice") });

        Assert.Equal((HttpStatusCode.Unauthorized, "session_required"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task APhoneCodeWithASessionOfAnotherAppIsRefused()
    {
        var (_, login) = await _bed.PostAsync("/auth/wechat/app/app/login", new { code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, "alice") });

        var (response, body) = await _bed.PostAsync(
            "/auth/wechat/miniprogram/mp/phone", new { code = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, "alice") }, login.GetProperty("token").GetString());

        Assert.Equal((HttpStatusCode.Forbidden, "session_app_mismatch"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task AReusedPhoneCodeIsCodeInvalid()
    {
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");
        var code = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, "xiaoming");
        await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone", new { code }, login.GetProperty("token").GetString());

        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone", new { code }, login.GetProperty("token").GetString());

        Assert.Equal((HttpStatusCode.BadRequest, "code_invalid"), (response.StatusCode, Code(body)));
    }

    /// <summary>A phone code of another WeChat user, sent with one's own session: WeChat refuses it for this openid.</summary>
    [Fact]
    public async Task APhoneCodeIssuedForAnotherUserIsRefusedAndNoNumberIsStored()
    {
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaohong");
        var othersCode = _bed.Sandbox.IssuePhoneCode(LoginTestbed.MiniProgram, "alice");

        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/phone", new { code = othersCode }, login.GetProperty("token").GetString());

        Assert.Equal((HttpStatusCode.BadRequest, "phone_code_not_for_user"), (response.StatusCode, Code(body)));
        var person = await _bed.Gateway.Services.GetRequiredService<IPersonDirectory>().FindByIdAsync(login.GetProperty("personId").GetInt64());
        Assert.Null(person!.Phone);
    }
}
