using System.Net;

namespace Gateway.Tests.Login;

public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task AClientAddressOverItsLimitGets429RateLimitedWithRetryAfter()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Login:RateLimit:PerClientPermits"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            var (allowed, _) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var (limited, body) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "alice");
        var page = await bed.NewBrowser().GetAsync("/auth/wechat/oa/oa/start");

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (limited.StatusCode, body.GetProperty("code").GetString()));
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
    }

    [Fact]
    public async Task OneWeChatUserOverItsLimitGets429WhileOthersStillSignIn()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Login:RateLimit:PerOpenIdPermits"] = "2" });
        for (var i = 0; i < 2; i++)
        {
            var (allowed, _) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var (limited, body) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");
        var (other, _) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "alice");

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limited"), (limited.StatusCode, body.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
