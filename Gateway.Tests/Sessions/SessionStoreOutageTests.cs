using System.Net;
using Gateway.Auth.Sessions;
using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sessions;

/// <summary>Redis gone: a presented session cannot be checked, and the gateway says so quickly instead of guessing.</summary>
public sealed class SessionStoreOutageTests
{
    [Fact]
    public async Task WithRedisDownASessionGets503QuicklyAndAnonymousRoutesStillWork()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var destination = await TestDestination.StartAsync();
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(destination.Url, new TestRoute("orders", "/orders/{**rest}", "required"), new TestRoute("open", "/open/{**rest}", "anonymous")),
            new Dictionary<string, string?>
            {
                ["Storage:Ephemeral:Redis"] = redis.Configuration,
                ["Storage:Ephemeral:OperationTimeout"] = "00:00:00.500",
                ["Sessions:LocalCacheDuration"] = "00:00:00",
            });
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/orders/1"))).StatusCode);

        await redis.StopAsync();
        var started = DateTime.UtcNow;
        var proxied = await gateway.Public.SendAsync(session.Get("/orders/1"));
        var current = await gateway.Public.SendAsync(session.Get("/auth/session"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, proxied.StatusCode);
        Assert.Equal("session_store_unavailable", await ProxyRoutingTests.ErrorCodeAsync(proxied));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, current.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the store outage was not reported within the operation timeouts");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/open/x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.GetAsync("/orders/1")).StatusCode);
    }

    [Fact]
    public async Task WithRedisDownOptionalAndNamedPolicyRoutesAnswer503ToAPresentedSessionNeverAnAnonymousPass()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var destination = await TestDestination.StartAsync();
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(destination.Url, new TestRoute("me", "/me/{**rest}", "optional"), new TestRoute("mp", "/mp/{**rest}", "mini-program-only")),
            new Dictionary<string, string?>
            {
                ["Storage:Ephemeral:Redis"] = redis.Configuration,
                ["Storage:Ephemeral:OperationTimeout"] = "00:00:00.500",
                ["Sessions:LocalCacheDuration"] = "00:00:00",
                ["Gateway:Authorization:Policies:mini-program-only:RequireClaims:0:Type"] = "channel",
                ["Gateway:Authorization:Policies:mini-program-only:RequireClaims:0:Values:0"] = "mini_program",
            });
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/me/1"))).StatusCode);
        int forwarded;
        lock (destination.Received)
        {
            forwarded = destination.Received.Count;
        }

        await redis.StopAsync();
        var optional = await gateway.Public.SendAsync(session.Get("/me/1"));
        var named = await gateway.Public.SendAsync(session.Get("/mp/1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, optional.StatusCode);
        Assert.Equal("session_store_unavailable", await ProxyRoutingTests.ErrorCodeAsync(optional));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, named.StatusCode);
        Assert.Equal("session_store_unavailable", await ProxyRoutingTests.ErrorCodeAsync(named));
        lock (destination.Received)
        {
            Assert.Equal(forwarded, destination.Received.Count);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/me/1")).StatusCode);
    }
}
