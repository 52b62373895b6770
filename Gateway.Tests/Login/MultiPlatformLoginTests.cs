using System.Net;
using Gateway.Auth.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Login;

/// <summary>Multi-platform app (多端应用) logins through the real gateway: donut/code2verifyinfo → identity → bearer session.</summary>
public sealed class MultiPlatformLoginTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    private readonly string _user = fixture.Bed.NewUser();

    private IPersonDirectory Directory => _bed.Gateway.Services.GetRequiredService<IPersonDirectory>();

    private string UserId => _bed.Sandbox.MultiPlatformUserIdOf(LoginTestbed.MultiPlatform, _user);

    [Fact]
    public async Task AWeixinAppLoginThroughTheBoundMobileAppResolvesToThePersonOfItsUnionId()
    {
        var (_, mobile) = await _bed.PostAsync("/auth/wechat/app/app/login", new { code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, _user) });

        var (response, body) = await _bed.MultiPlatformLoginAsync(_user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mobile.GetProperty("personId").GetInt64(), body.GetProperty("personId").GetInt64());
        Assert.Equal(_bed.UnionIdOf(LoginTestbed.MobileApp, _user), body.GetProperty("unionId").GetString());
        var (_, session) = await _bed.GetAsync("/auth/session", body.GetProperty("token").GetString()!);
        Assert.Equal(("multi_platform", LoginTestbed.MultiPlatform), (session.GetProperty("channel").GetString(), session.GetProperty("appId").GetString()));
        var person = await Directory.FindByIdAsync(body.GetProperty("personId").GetInt64());
        Assert.Contains(person!.AppIdentities, i => i.AppId == LoginTestbed.MultiPlatform && i.OpenId == UserId && i.Channel == LoginChannel.MultiPlatform);
    }

    [Fact]
    public async Task ALoginWithoutUnionIdIsStoredUnderTheAppsOwnUserIdAndALaterWeChatLoginLinksIt()
    {
        var (response, sms) = await _bed.MultiPlatformLoginAsync(_user, "phoneSms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(sms.TryGetProperty("unionId", out var none) && none.ValueKind != System.Text.Json.JsonValueKind.Null);
        var byUserId = await Directory.FindByOpenIdAsync(LoginTestbed.MultiPlatform, UserId);
        Assert.Equal(sms.GetProperty("personId").GetInt64(), byUserId!.Id);
        Assert.Null(byUserId.UnionId);

        var (_, weixin) = await _bed.MultiPlatformLoginAsync(_user);
        var (_, miniProgram) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);

        Assert.Equal(sms.GetProperty("personId").GetInt64(), weixin.GetProperty("personId").GetInt64());
        Assert.Equal(sms.GetProperty("personId").GetInt64(), miniProgram.GetProperty("personId").GetInt64());
        Assert.Equal(_bed.UnionIdOf(LoginTestbed.MiniProgram, _user), (await Directory.FindByIdAsync(sms.GetProperty("personId").GetInt64()))!.UnionId);
    }

    [Fact]
    public async Task AUserIdOnlyPersonMergesIntoThePersonAlreadyHoldingTheUnionId()
    {
        var (_, miniProgram) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        var (_, sms) = await _bed.MultiPlatformLoginAsync(_user, "phoneSms");
        Assert.NotEqual(miniProgram.GetProperty("personId").GetInt64(), sms.GetProperty("personId").GetInt64());

        var (_, weixin) = await _bed.MultiPlatformLoginAsync(_user);

        Assert.Equal(miniProgram.GetProperty("personId").GetInt64(), weixin.GetProperty("personId").GetInt64());
        Assert.Equal(miniProgram.GetProperty("personId").GetInt64(), (await Directory.FindByIdAsync(sms.GetProperty("personId").GetInt64()))!.Id);
    }

    [Fact]
    public async Task ACodeIsSingleUseAndAnUnknownAppIsNotFound()
    {
        var code = _bed.Sandbox.IssueMultiPlatformLoginCode(LoginTestbed.MultiPlatform, _user);
        var (first, _) = await _bed.PostAsync("/auth/wechat/multiplatform/donut/login", new { code });

        var (second, body) = await _bed.PostAsync("/auth/wechat/multiplatform/donut/login", new { code });
        var (wrongKind, wrongBody) = await _bed.PostAsync("/auth/wechat/multiplatform/mp/login", new { code = "anything" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("code_invalid", body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, wrongKind.StatusCode);
        Assert.Equal("app_not_found", wrongBody.GetProperty("code").GetString());
    }
}
