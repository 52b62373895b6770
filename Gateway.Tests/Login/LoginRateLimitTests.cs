using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

public sealed class LoginRateLimitTests
{
    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task AClientAddressOverItsLimitGets429RateLimitedWithRetryAfter(RedisTopology redis)
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Login:RateLimit:PerClientPermits"] = "3",
            ["Storage:Ephemeral:Redis"] = TestServers.Redis(redis),
        });
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

    /// <summary>Behind a load balancer an address spreads its attempts over the instances: together they allow the documented number.</summary>
    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task ThePerAddressLimitHoldsAcrossTwoInstancesNotTwiceIt(RedisTopology redis)
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Login:RateLimit:PerClientPermits"] = "4",
            ["Storage:Ephemeral:Redis"] = TestServers.Redis(redis),
        });
        var peer = await bed.StartPeerAsync();
        var instances = new[] { bed.Api, peer.Public };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            var code = bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, "xiaoming");
            statuses.Add((await instances[i % 2].PostAsJsonAsync("/auth/wechat/miniprogram/mp/login", new { code })).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 4).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 4)), statuses);
    }

    [Fact]
    public async Task WhileRedisCannotCountLoginsAreRefusedWith503RateLimitUnavailable()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Ephemeral:Redis"] = redis.Configuration,
            ["Storage:Ephemeral:OperationTimeout"] = "00:00:00.500",
        });
        var (before, _) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");
        await redis.StopAsync();

        var (during, body) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "rate_limit_unavailable"), (during.StatusCode, body.GetProperty("code").GetString()));
    }
}
