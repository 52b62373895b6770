using System.Text.Json;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>wxa/business/getuserphonenumber with a phone code from a getPhoneNumber button.</summary>
public sealed class PhoneNumberTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task PhoneCodeExchangesForPhoneInfoWithWatermark()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var code = (string)(await _sandbox.PostHelperAsync($"/sandbox/phone-code?appid={MiniProgram}&user=xiaoming"))["code"]!;

        var answer = await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}""");

        Assert.Equal(0, (int)answer["errcode"]!);
        Assert.Equal("ok", (string)answer["errmsg"]!);
        var info = answer["phone_info"]!;
        Assert.Equal("13800138000", (string)info["phoneNumber"]!);
        Assert.Equal("13800138000", (string)info["purePhoneNumber"]!);
        Assert.Equal(JsonValueKind.String, info["countryCode"]!.GetValueKind());
        Assert.Equal("86", (string)info["countryCode"]!);
        Assert.Equal(MiniProgram, (string)info["watermark"]!["appid"]!);
        Assert.Equal(_sandbox.Clock.GetUtcNow().ToUnixTimeSeconds(), (long)info["watermark"]!["timestamp"]!);
    }

    [Fact]
    public async Task ForeignNumberCarriesItsCountryCode()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var code = _sandbox.Server.IssuePhoneCode(MiniProgram, "alice");

        var info = (await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}"""))["phone_info"]!;

        Assert.Equal("+12025550143", (string)info["phoneNumber"]!);
        Assert.Equal("2025550143", (string)info["purePhoneNumber"]!);
        Assert.Equal("1", (string)info["countryCode"]!);
    }

    [Fact]
    public async Task APhoneCodeSentWithAnotherUsersOpenIdIs40003AndStaysUsableByItsOwner()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var code = _sandbox.Server.IssuePhoneCode(MiniProgram, "alice");
        var api = $"/wxa/business/getuserphonenumber?access_token={token}";

        var refused = await _sandbox.PostApiAsync(api, $$"""{"code":"{{code}}","openid":"{{_sandbox.Server.OpenIdOf(MiniProgram, "xiaoming")}}"}""");
        var owner = await _sandbox.PostApiAsync(api, $$"""{"code":"{{code}}","openid":"{{_sandbox.Server.OpenIdOf(MiniProgram, "alice")}}"}""");

        AssertErrcode(40003, refused);
        Assert.Equal("2025550143", (string)owner["phone_info"]!["purePhoneNumber"]!);
    }

    [Fact]
    public async Task ReusedPhoneCodeIsRejectedWith40163()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var code = _sandbox.Server.IssuePhoneCode(MiniProgram, "xiaoming");
        await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}""");

        AssertErrcode(40163, await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}"""));
    }

    [Fact]
    public async Task PhoneCodeOlderThanFiveMinutesIsRejectedWith42003()
    {
        var code = _sandbox.Server.IssuePhoneCode(MiniProgram, "xiaoming");
        _sandbox.Clock.Advance(TimeSpan.FromMinutes(5));
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);

        AssertErrcode(42003, await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}"""));
    }

    [Fact]
    public async Task WxLoginCodeIsNotAPhoneCode()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        var code = await _sandbox.WxLoginAsync(MiniProgram, "xiaoming");

        AssertErrcode(40029, await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}"""));
    }

    [Fact]
    public async Task MissingPhoneCodeIsRejectedWith41008()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);

        AssertErrcode(41008, await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", "{}"));
    }

    [Fact]
    public async Task MalformedBodyIsRejectedWith47001()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);

        AssertErrcode(47001, await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", "{\"code\":"));
    }

    [Theory]
    [InlineData("/wxa/business/getuserphonenumber?access_token=forged", 40001)]
    [InlineData("/wxa/business/getuserphonenumber", 41001)]
    public async Task UnknownOrMissingAccessTokenIsRejected(string pathAndQuery, int errcode)
    {
        AssertErrcode(errcode, await _sandbox.PostApiAsync(pathAndQuery, "{\"code\":\"x\"}"));
    }

    [Fact]
    public async Task ExpiredAccessTokenIsRejectedWith42001()
    {
        var token = await _sandbox.AppAccessTokenAsync(MiniProgram);
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(7200));
        var code = _sandbox.Server.IssuePhoneCode(MiniProgram, "xiaoming");

        AssertErrcode(42001, await _sandbox.PostApiAsync($"/wxa/business/getuserphonenumber?access_token={token}", $$"""{"code":"{{code}}"}"""));
    }
}
