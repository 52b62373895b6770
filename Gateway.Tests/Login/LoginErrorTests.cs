using System.Net;
using System.Text;
using Gateway.WeChatSandbox;

namespace Gateway.Tests.Login;

/// <summary>WeChat's failures and bad client input as a client sees them: a status and a code, never a 500.</summary>
public sealed class LoginErrorTests(LoginFixture fixture) : IClassFixture<LoginFixture>, IDisposable
{
    private readonly LoginTestbed _bed = fixture.Bed;

    public void Dispose() => _bed.Sandbox.ClearFaults(LoginTestbed.MiniProgram);

    private static string Code(System.Text.Json.JsonElement body) => body.GetProperty("code").GetString()!;

    private Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> LoginAsync(string user = "xiaoming") =>
        _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);

    [Fact]
    public async Task AReusedCodeIsCodeInvalid()
    {
        var code = _bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, "xiaoming");
        await _bed.PostAsync("/auth/wechat/miniprogram/mp/login", new { code });

        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/login", new { code });

        Assert.Equal((HttpStatusCode.BadRequest, "code_invalid"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task AnExpiredCodeIsCodeInvalid()
    {
        var code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, "xiaoming");
        _bed.Clock.Advance(TimeSpan.FromMinutes(6));

        var (response, body) = await _bed.PostAsync("/auth/wechat/app/app/login", new { code });

        Assert.Equal((HttpStatusCode.BadRequest, "code_invalid"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task ASystemBusyBurstWithinTheRetryBudgetStillSignsIn()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.MiniProgram, new SandboxFaults { SystemBusyCalls = 2 });

        var (response, _) = await LoginAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WeChatBusyBeyondTheRetryBudgetIsWeChatUnavailable503()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.MiniProgram, new SandboxFaults { SystemBusyCalls = 20 });

        var (response, body) = await LoginAsync();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "wechat_unavailable"), (response.StatusCode, Code(body)));
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(17, _bed.Sandbox.State.GetFaults(LoginTestbed.MiniProgram)!.SystemBusyCalls);
    }

    [Fact]
    public async Task AWeChatThatDoesNotAnswerInTimeIsWeChatUnavailable503()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.MiniProgram, new SandboxFaults { LatencyMilliseconds = 600_000 });

        var (response, body) = await LoginAsync();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "wechat_unavailable"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task WeChatRateLimitIsRateLimited429()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.MiniProgram, new SandboxFaults { ForcedErrcode = 45011, ForcedErrcodeCalls = 1 });

        var (response, body) = await LoginAsync();

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (response.StatusCode, Code(body)));
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task AHighRiskUserIsRefusedWithItsOwnCode()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.MiniProgram, new SandboxFaults { HighRiskUsers = ["xiaohong"] });

        var (response, body) = await LoginAsync("xiaohong");

        Assert.Equal((HttpStatusCode.Forbidden, "high_risk_user"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task ErrcodeSentAsAStringIsMappedLikeANumber()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.MiniProgram, new SandboxFaults { ErrcodeAsString = true, ForcedErrcode = 40029, ForcedErrcodeCalls = 1 });

        var (response, body) = await LoginAsync();

        Assert.Equal((HttpStatusCode.BadRequest, "code_invalid"), (response.StatusCode, Code(body)));
    }

    [Fact]
    public async Task AWrongAppSecretIsWeChatMisconfigured502WithAnOperatorLogLine()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["WeChat:Apps:mp:Secret"] = "not-the-secret" });

        var (response, body) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");

        Assert.Equal((HttpStatusCode.BadGateway, "wechat_misconfigured"), (response.StatusCode, Code(body)));
        Assert.Contains(bed.Logs.Lines, line => line.Contains("OPERATOR ACTION NEEDED") && line.Contains("40125"));
        Assert.DoesNotContain("not-the-secret", bed.Logs.All);
        Assert.DoesNotContain("not-the-secret", body.GetRawText());
    }

    [Theory]
    [InlineData("not json", "invalid_request")]
    [InlineData("[1,2]", "invalid_request")]
    [InlineData("{}", "invalid_request")]
    [InlineData("{\"code\":42}", "invalid_request")]
    [InlineData("{\"code\":\"\"}", "invalid_request")]
    [InlineData("", "invalid_request")]
    public async Task MalformedBodiesAreInvalidRequest(string body, string code)
    {
        foreach (var path in new[] { "/auth/wechat/miniprogram/mp/login", "/auth/wechat/miniprogram/mp/bind", "/auth/wechat/app/app/login" })
        {
            var (response, json) = await _bed.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

            Assert.Equal((HttpStatusCode.BadRequest, code), (response.StatusCode, Code(json)));
        }
    }

    [Fact]
    public async Task AnOverlongCodeIsInvalidRequest()
    {
        var (response, body) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/login", new { code = new string('a', 129) });

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (response.StatusCode, Code(body)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnOversizedBodyIsRequestTooLarge413(bool chunked)
    {
        var payload = "{\"code\":\"" + new string('a', 20_000) + "\"}";
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(payload)))
            : new StringContent(payload, Encoding.UTF8, "application/json");
        if (chunked)
        {
            content.Headers.ContentType = new("application/json");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/wechat/miniprogram/mp/login") { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        var (response, body) = await _bed.SendAsync(request);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "request_too_large"), (response.StatusCode, Code(body)));
    }

    [Theory]
    [InlineData("/auth/wechat/miniprogram/oa/login")]
    [InlineData("/auth/wechat/miniprogram/nosuch/login")]
    [InlineData("/auth/wechat/app/mp/login")]
    public async Task AnAppOfAnotherKindIsAppNotFound(string path)
    {
        var (response, body) = await _bed.PostAsync(path, new { code = "x" });

        Assert.Equal((HttpStatusCode.NotFound, "app_not_found"), (response.StatusCode, Code(body)));
    }
}
