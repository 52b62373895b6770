using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Health;

public sealed class ReadinessTests
{
    private static readonly Uri NoDestination = new("http://127.0.0.1:9/");

    [Fact]
    public async Task ReadyWhenDatabaseAndRedisAnswer()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(NoDestination, new TestRoute("api", "/api/{**rest}")));

        var response = await gateway.Public.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("ok", body.RootElement.GetProperty("checks").GetProperty("ephemeralStore").GetProperty("status").GetString());
    }

    [Fact]
    public async Task RedisStoppedMidRunTurnsReadyz503NamingItAndRecoversWhenRedisReturns()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(NoDestination, new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = redis.Configuration });
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/readyz")).StatusCode);

        await redis.StopAsync();

        var started = DateTime.UtcNow;
        var down = await gateway.Public.GetAsync("/readyz");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "readiness must not hang while Redis is down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var text = await down.Content.ReadAsStringAsync();
        using (var body = JsonDocument.Parse(text))
        {
            var checks = body.RootElement.GetProperty("checks");
            Assert.Equal("failing", checks.GetProperty("ephemeralStore").GetProperty("status").GetString());
            Assert.Equal("ok", checks.GetProperty("database").GetProperty("status").GetString());
        }

        Assert.DoesNotContain(redis.Port.ToString(), text);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/healthz")).StatusCode);

        await redis.StartAgainAsync();

        Assert.True(await Eventually.TrueAsync(
            async () => (await gateway.Public.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)),
            "readiness did not recover after Redis came back");
    }
}
