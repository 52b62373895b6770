using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.WeChatSandbox;
using static Gateway.Tests.WeChatSandbox.SandboxHarness;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>Per-app faults: latency, -1 bursts, forced errcodes, 45011 rate limiting and 40226 high-risk users.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private SandboxHarness _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHarness.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task SystemBusyBurstFailsTheNextCallsWithoutConsumingTheCode()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { systemBusyCalls = 2 });
        var code = await _sandbox.WxLoginAsync(MiniProgram, "xiaoming");

        AssertErrcode(-1, await _sandbox.Code2SessionAsync(MiniProgram, code));
        AssertErrcode(-1, await _sandbox.Code2SessionAsync(MiniProgram, code));
        Assert.True((await _sandbox.Code2SessionAsync(MiniProgram, code)).ContainsKey("session_key"));
    }

    [Fact]
    public async Task ForcedErrcodeIsAnsweredForTheNextNCalls()
    {
        await _sandbox.PutFaultsAsync(OfficialAccount, new { forcedErrcode = 40029, forcedErrcodeCalls = 1 });
        var code = await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_base");

        AssertErrcode(40029, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code));
        Assert.True((await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, code)).ContainsKey("access_token"));
    }

    [Fact]
    public async Task ForcedErrcodeAppliesToTokenIdentifiedCalls()
    {
        var token = await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaoming", "snsapi_userinfo"));
        _sandbox.Server.SetFaults(OfficialAccount, new SandboxFaults { ForcedErrcode = 42001, ForcedErrcodeCalls = 2 });

        AssertErrcode(42001, await _sandbox.GetApiAsync($"/sns/userinfo?access_token={token["access_token"]}&openid={token["openid"]}"));
        AssertErrcode(42001, await _sandbox.GetApiAsync($"/sns/auth?access_token={token["access_token"]}&openid={token["openid"]}"));
        Assert.Equal(0, (int)(await _sandbox.GetApiAsync($"/sns/auth?access_token={token["access_token"]}&openid={token["openid"]}"))["errcode"]!);
    }

    [Fact]
    public async Task RateLimitAnswers45011UntilTheNextMinute()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { rateLimitPerMinute = 2 });
        var second = _sandbox.Clock.GetUtcNow().Second;
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(60 - second));
        await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"));
        var code = await _sandbox.WxLoginAsync(MiniProgram, "xiaoming");

        AssertErrcode(45011, await _sandbox.Code2SessionAsync(MiniProgram, code));
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True((await _sandbox.Code2SessionAsync(MiniProgram, code)).ContainsKey("session_key"));
    }

    [Fact]
    public async Task HighRiskUserIsBlockedWith40226()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { highRiskUsers = new[] { "xiaohong" } });
        await _sandbox.PutFaultsAsync(OfficialAccount, new { highRiskUsers = new[] { "xiaohong" } });

        AssertErrcode(40226, await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaohong")));
        AssertErrcode(40226, await _sandbox.ExchangeOAuthCodeAsync(OfficialAccount, await _sandbox.AuthorizeAsync(OfficialAccount, "xiaohong", "snsapi_base")));
        Assert.True((await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"))).ContainsKey("session_key"));
    }

    [Fact]
    public async Task LatencyHoldsTheAnswerUntilTheClockHasMoved()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { latencyMilliseconds = 3000 });

        var pending = _sandbox.GetApiAsync($"/cgi-bin/token?grant_type=client_credential&appid={MiniProgram}&secret={SecretOf(MiniProgram)}");
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);
        _sandbox.Clock.Advance(TimeSpan.FromSeconds(3));

        Assert.True((await pending).ContainsKey("access_token"));
    }

    [Fact]
    public async Task ErrcodeCanArriveAsAJsonString()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { errcodeAsString = true });

        var answer = await _sandbox.Code2SessionAsync(MiniProgram, "unknown");

        Assert.Equal(System.Text.Json.JsonValueKind.String, answer["errcode"]!.GetValueKind());
        Assert.Equal("40029", (string)answer["errcode"]!);
        Assert.True((await _sandbox.Code2SessionAsync(MiniProgram, await _sandbox.WxLoginAsync(MiniProgram, "xiaoming"))).ContainsKey("session_key"));
    }

    [Fact]
    public async Task FaultsAffectOnlyTheirApp()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { systemBusyCalls = 5 });

        Assert.True((await _sandbox.Code2SessionAsync(TwoStepMiniProgram, await _sandbox.WxLoginAsync(TwoStepMiniProgram, "xiaoming"))).ContainsKey("session_key"));
    }

    [Fact]
    public async Task FaultsCanBeReadBackWithRemainingCountsAndCleared()
    {
        await _sandbox.PutFaultsAsync(MiniProgram, new { systemBusyCalls = 3 });
        await _sandbox.Code2SessionAsync(MiniProgram, "any");

        var remaining = await _sandbox.Http.GetFromJsonAsync<JsonObject>(_sandbox.Url($"/sandbox/faults/{MiniProgram}"));
        using var deleted = await _sandbox.Http.DeleteAsync(_sandbox.Url($"/sandbox/faults/{MiniProgram}"));

        Assert.Equal(2, (int)remaining!["systemBusyCalls"]!);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(_sandbox.Server.State.GetFaults(MiniProgram));
        AssertErrcode(40029, await _sandbox.Code2SessionAsync(MiniProgram, "any"));
    }

    [Theory]
    [InlineData("wx_nobody", "{}", HttpStatusCode.NotFound, "unknown_app")]
    [InlineData("wx_sandbox_mp", "{\"highRiskUsers\":[\"mallory\"]}", HttpStatusCode.NotFound, "unknown_user")]
    [InlineData("wx_sandbox_mp", "{\"systemBusyCalls\":-1}", HttpStatusCode.BadRequest, "invalid_faults")]
    [InlineData("wx_sandbox_mp", "{\"systemBusyCalls\":", HttpStatusCode.BadRequest, "invalid_faults")]
    public async Task InvalidFaultsAreRejected(string appId, string json, HttpStatusCode status, string code)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await _sandbox.Http.PutAsync(_sandbox.Url($"/sandbox/faults/{appId}"), content);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!);
    }
}
