using System.Net;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sessions;

public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private TestDestination _destination = null!;

    public async Task InitializeAsync() => _destination = await TestDestination.StartAsync();

    public async Task DisposeAsync() => await _destination.DisposeAsync();

    [Fact]
    public async Task UnusedSessionEndsAfterTheIdleTimeout()
    {
        await using var gateway = await StartAsync(idle: "00:00:01", absolute: "1.00:00:00");
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/auth/session"))).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(session.Get("/auth/session"))).StatusCode);
    }

    [Fact]
    public async Task ActivityKeepsASessionPastItsFirstIdleExpiry()
    {
        // Six seconds of steady use outlast a four-second idle window; the window leaves room for a slow request
        // on a busy machine, which is not what this test is about.
        await using var gateway = await StartAsync(idle: "00:00:04", absolute: "1.00:00:00");
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        for (var i = 0; i < 12; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
        }
    }

    [Fact]
    public async Task ActiveSessionStillEndsAtItsAbsoluteLifetime()
    {
        await using var gateway = await StartAsync(idle: "00:00:02", absolute: "00:00:02");
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);

        var ended = await Eventually.TrueAsync(
            async () => (await gateway.Public.SendAsync(session.Get("/orders/1"))).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(4),
            TimeSpan.FromMilliseconds(300));

        Assert.True(ended);
        Assert.True(DateTimeOffset.UtcNow >= session.Issued.AbsoluteExpiresAt);
    }

    [Theory]
    [InlineData("Sessions:IdleTimeout", "00:00:00", "Sessions:IdleTimeout")]
    [InlineData("Sessions:IdleTimeout", "8.00:00:00", "Sessions:IdleTimeout")]
    [InlineData("Sessions:AbsoluteLifetime", "100.00:00:00", "Sessions:AbsoluteLifetime")]
    [InlineData("Sessions:LocalCacheDuration", "00:00:02", "Sessions:LocalCacheDuration")]
    [InlineData("Sessions:CookieName", "bad name;", "Sessions:CookieName")]
    public void InvalidSessionSettingsStopStartUpNamingTheSetting(string key, string value, string named)
    {
        var failure = GatewayInstance.TryStart(
            YarpJson.Build(_destination.Url, new TestRoute("orders", "/orders/{**rest}", "required")),
            new Dictionary<string, string?> { [key] = value });

        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString());
    }

    private Task<GatewayInstance> StartAsync(string idle, string absolute) =>
        GatewayInstance.StartAsync(
            YarpJson.Build(_destination.Url, new TestRoute("orders", "/orders/{**rest}", "required")),
            new Dictionary<string, string?> { ["Sessions:IdleTimeout"] = idle, ["Sessions:AbsoluteLifetime"] = absolute });
}
