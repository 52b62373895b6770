using System.Net;
using System.Text.Json;
using Gateway.Auth.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Login;

/// <summary>
/// snsapi_base gives a unionid only to an Official Account the user once granted snsapi_userinfo; both answers
/// resolve to the same person. A snapshot-page visitor never becomes a person.
/// </summary>
public sealed class SnsapiBaseUnionIdTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private const string OaStart = "/auth/wechat/oa/oa/start";

    private readonly LoginTestbed _bed = fixture.Bed;

    private readonly string _user = fixture.Bed.NewUser();

    private IPersonDirectory Directory => _bed.Gateway.Services.GetRequiredService<IPersonDirectory>();

    private async Task<JsonElement> LogInAsync(string query)
    {
        var browser = _bed.NewBrowser();
        var callback = await browser.LogInAsync(OaStart + query, _user);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var session = await browser.GetAsync("/auth/session");
        return JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task SnsapiBaseWithoutThenWithAUnionIdResolvesToOnePerson()
    {
        var openId = _bed.OpenIdOf(LoginTestbed.OfficialAccount, _user);
        var unionId = _bed.UnionIdOf(LoginTestbed.OfficialAccount, _user);

        var before = await LogInAsync("");
        Assert.Equal(JsonValueKind.Null, before.GetProperty("unionId").ValueKind);
        var byOpenId = await Directory.FindByOpenIdAsync(LoginTestbed.OfficialAccount, openId);
        Assert.Null(byOpenId!.UnionId);

        var granted = await LogInAsync("?scope=snsapi_userinfo");
        var after = await LogInAsync("");

        Assert.Equal(before.GetProperty("personId").GetInt64(), granted.GetProperty("personId").GetInt64());
        Assert.Equal(before.GetProperty("personId").GetInt64(), after.GetProperty("personId").GetInt64());
        Assert.Equal(unionId, after.GetProperty("unionId").GetString());
        Assert.Equal(unionId, (await Directory.FindByIdAsync(byOpenId.Id))!.UnionId);
    }

    [Fact]
    public async Task SnsapiBaseWithAUnionIdJoinsThePersonAnotherAppCreated()
    {
        var (_, miniProgram) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _user);
        await LogInAsync("?scope=snsapi_userinfo");

        var session = await LogInAsync("");

        Assert.Equal(miniProgram.GetProperty("personId").GetInt64(), session.GetProperty("personId").GetInt64());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?scope=snsapi_userinfo")]
    public async Task ASnapshotUserNeverBecomesOrMergesIntoAPerson(string query)
    {
        var browser = _bed.NewBrowser();

        var callback = await browser.LogInAsync(OaStart + query, "snapshot");

        Assert.NotEqual(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Contains("snapshot_user", await callback.Content.ReadAsStringAsync());
        Assert.Null(browser.SessionToken);
        Assert.Null(await Directory.FindByOpenIdAsync(LoginTestbed.OfficialAccount, _bed.OpenIdOf(LoginTestbed.OfficialAccount, "snapshot")));
        Assert.Null(await Directory.FindByUnionIdAsync(_bed.UnionIdOf(LoginTestbed.OfficialAccount, "snapshot")!));
    }
}
