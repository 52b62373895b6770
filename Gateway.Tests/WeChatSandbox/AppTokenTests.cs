using System.Text.Json;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>cgi-bin/token and cgi-bin/stable_token, including the 40001 storm of independent fetches.</summary>
public sealed class AppTokenTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task TokenReturnsAnAccessTokenValidFor7200Seconds()
    {
        var answer = await _sandbox.GetApiAsync($"/cgi-bin/token?grant_type=client_credential&appid={MiniProgram}&secret={SecretOf(MiniProgram)}");

        Assert.Equal(JsonValueKind.String, answer["access_token"]!.GetValueKind());
        Assert.Equal(7200, (int)answer["expires_in"]!);
    }

    [Fact]
    public async Task FetchingATokenInvalidatesThePreviousOneWith40001()
    {
        var first = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var second = await _sandbox.AppAccessTokenAsync(MiniProgram);

        Assert.NotEqual(first, second);
        AssertErrcode(40001, await PhoneNumberAsync(first));
        Assert.Equal(0, (int)(await PhoneNumberAsync(second))["errcode"]!);
    }

    [Fact]
    public async Task StableTokenReturnsTheSameTokenWhileItIsValid()
    {
        var first = await StableTokenAsync(MiniProgram);
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(100));
        var second = await StableTokenAsync(MiniProgram);

        Assert.Equal((string)first["access_token"]!, (string)second["access_token"]!);
        Assert.Equal(7200, (int)first["expires_in"]!);
        Assert.Equal(7100, (int)second["expires_in"]!);
        Assert.Equal(0, (int)(await PhoneNumberAsync((string)first["access_token"]!))["errcode"]!);
    }

    [Fact]
    public async Task StableTokenIsRenewedAfterItExpires()
    {
        var first = await StableTokenAsync(MiniProgram);
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(7200));
        var second = await StableTokenAsync(MiniProgram);

        Assert.NotEqual((string)first["access_token"]!, (string)second["access_token"]!);
        Assert.Equal(7200, (int)second["expires_in"]!);
        AssertErrcode(42001, await PhoneNumberAsync((string)first["access_token"]!));
    }

    [Fact]
    public async Task ForceRefreshIssuesANewStableTokenAndInvalidatesTheOldOne()
    {
        var first = await StableTokenAsync(MiniProgram);
        var second = await StableTokenAsync(MiniProgram, forceRefresh: true);

        Assert.NotEqual((string)first["access_token"]!, (string)second["access_token"]!);
        AssertErrcode(40001, await PhoneNumberAsync((string)first["access_token"]!));
    }

    [Fact]
    public async Task StableAndOrdinaryTokensDoNotInvalidateEachOther()
    {
        var stable = (string)(await StableTokenAsync(MiniProgram))["access_token"]!;
        var ordinary = await _sandbox.AppAccessTokenAsync(MiniProgram);
        await _sandbox.AppAccessTokenAsync(MiniProgram);

        Assert.NotEqual(stable, ordinary);
        Assert.Equal(0, (int)(await PhoneNumberAsync(stable))["errcode"]!);
    }

    [Fact]
    public async Task TwoGatewayInstancesFetchingIndependentlyKnockEachOtherOut()
    {
        using var otherInstance = new HttpClient();
        var tokenOfA = await _sandbox.AppAccessTokenAsync(MiniProgram);
        using var response = await otherInstance.GetAsync(_sandbox.Url(
            $"/cgi-bin/token?grant_type=client_credential&appid={MiniProgram}&secret={SecretOf(MiniProgram)}"));
        Assert.True((await ReadApiAsync(response)).ContainsKey("access_token"));

        AssertErrcode(40001, await PhoneNumberAsync(tokenOfA));
    }

    [Theory]
    [InlineData("grant_type=client_credential&appid=wx_nobody&secret=x", 40013)]
    [InlineData("grant_type=client_credential&appid=wx_sandbox_mp&secret=wrong", 40125)]
    [InlineData("grant_type=client_credential&secret=x", 41002)]
    [InlineData("grant_type=client_credential&appid=wx_sandbox_mp", 41004)]
    [InlineData("grant_type=authorization_code&appid=wx_sandbox_mp&secret=sandbox-secret-mp", 40002)]
    public async Task BadTokenRequestsGetWeChatsErrcodes(string query, int errcode)
    {
        AssertErrcode(errcode, await _sandbox.GetApiAsync("/cgi-bin/token?" + query));
    }

    [Theory]
    [InlineData("""{"grant_type":"client_credential","appid":"wx_nobody","secret":"x"}""", 40013)]
    [InlineData("""{"grant_type":"client_credential","appid":"wx_sandbox_mp","secret":"wrong"}""", 40125)]
    [InlineData("""{"grant_type":"password","appid":"wx_sandbox_mp","secret":"sandbox-secret-mp"}""", 40002)]
    [InlineData("""{"grant_type":"client_credential","appid":""", 47001)]
    [InlineData("""["client_credential"]""", 47001)]
    public async Task BadStableTokenRequestsGetWeChatsErrcodes(string json, int errcode)
    {
        AssertErrcode(errcode, await _sandbox.PostApiAsync("/cgi-bin/stable_token", json));
    }

    private Task<System.Text.Json.Nodes.JsonObject> StableTokenAsync(string appId, bool forceRefresh = false) =>
        _sandbox.PostApiAsync("/cgi-bin/stable_token",
            $$"""{"grant_type":"client_credential","appid":"{{appId}}","secret":"{{SecretOf(appId)}}","force_refresh":{{(forceRefresh ? "true" : "false")}}}""");

    private Task<System.Text.Json.Nodes.JsonObject> PhoneNumberAsync(string accessToken) =>
        _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={accessToken}",
            $$"""{"code":"{{_sandbox.Server.IssuePhoneCode(MiniProgram, "xiaoming")}}"}""");
}
