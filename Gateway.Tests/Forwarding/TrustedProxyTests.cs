using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

/// <summary>docs/security.md §2: forwarded headers count only when they come from a configured proxy.</summary>
public sealed class TrustedProxyTests : IAsyncLifetime
{
    private TestDestination _destination = null!;

    public async Task InitializeAsync() => _destination = await TestDestination.StartAsync();

    public async Task DisposeAsync() => await _destination.DisposeAsync();

    [Fact]
    public async Task ClientSentForwardedForIsIgnoredWhenNoProxyIsTrusted()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));

        var received = await SendAsync(gateway, "203.0.113.9");

        Assert.Equal("127.0.0.1", Assert.Single(received.Headers["X-Forwarded-For"]));
    }

    [Fact]
    public async Task ForwardedForFromATrustedProxyNamesTheClient()
    {
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Gateway:TrustedProxies:0"] = "127.0.0.0/8" });

        var received = await SendAsync(gateway, "203.0.113.9");

        Assert.Equal("203.0.113.9", Assert.Single(received.Headers["X-Forwarded-For"]));
    }

    [Fact]
    public async Task OnlyTheHopsAppendedByTrustedProxiesAreBelieved()
    {
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Gateway:TrustedProxies:0"] = "127.0.0.1" });

        // The client forged the first hop; the trusted proxy appended the address it really saw.
        var received = await SendAsync(gateway, "198.51.100.66, 203.0.113.9");

        Assert.Equal("203.0.113.9", Assert.Single(received.Headers["X-Forwarded-For"]));
    }

    [Fact]
    public void AnEntryThatIsNotAnAddressFailsStartUpNamingTheSetting()
    {
        var failure = GatewayInstance.TryStart(
            YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Gateway:TrustedProxies:0"] = "lb.example.com" });

        Assert.NotNull(failure);
        Assert.Contains("Gateway:TrustedProxies", RoutePolicyValidationTests.AllMessages(failure));
    }

    private static async Task<HttpRequestRecord> SendAsync(GatewayInstance gateway, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/x");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await HttpRequestRecord.ReadAsync(await gateway.Public.SendAsync(request));
    }
}
