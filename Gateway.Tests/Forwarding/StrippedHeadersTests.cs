using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

/// <summary>
/// Look-alike headers downstream frameworks trust (URL rewrites, method overrides, client address, other auth
/// proxies' identity) never arrive from a client, under any spelling; the list is configurable both ways.
/// </summary>
public sealed class StrippedHeadersTests : IAsyncLifetime
{
    private const string Spoofed = "spoofed-value";

    private TestDestination _destination = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _destination = await TestDestination.StartAsync();
        _gateway = await StartAsync(new Dictionary<string, string?>());
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _destination.DisposeAsync();
    }

    public static TheoryData<string> DefaultStripped() =>
    [
        "X-Original-URL", "x_original_url", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "X-Real-IP", "x_real_ip", "True-Client-IP", "Forwarded", "X-Forwarded-Port", "X-Forwarded-Ssl", "X-Forwarded-Uri",
        "X-Forwarded-User", "X-Forwarded-Email", "X-Auth-Request-User", "X-Remote-User", "X-Open-Id", "X_Open_Id", "X-WX-OPENID", "x-wx-unionid",
    ];

    [Theory]
    [MemberData(nameof(DefaultStripped))]
    public async Task ALookAlikeHeaderNeverReachesTheDestination(string name)
    {
        var received = await SendAsync(_gateway, name);

        Assert.DoesNotContain(received.Headers, h => h.Value.Any(v => v?.Contains(Spoofed, StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task AClientsXForwardedForIsReplacedByTheAddressTheGatewaySaw()
    {
        var received = await SendAsync(_gateway, "X-Forwarded-For");

        Assert.Equal("127.0.0.1", Assert.Single(received.Headers.First(h => h.Key.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase)).Value));
    }

    [Theory]
    [InlineData("X-Request-Id")]
    [InlineData("X-Tenant")]
    [InlineData("X-Requested-With")]
    public async Task OrdinaryHeadersPassUntouched(string name)
    {
        var received = await SendAsync(_gateway, name);

        Assert.Equal(Spoofed, Assert.Single(received.Headers.First(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value));
    }

    [Fact]
    public async Task TheListIsExtendedAndRelaxedByConfiguration()
    {
        await using var gateway = await StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:Proxy:StripHeaders:0"] = "X-Tenant",
            ["Gateway:Proxy:ForwardHeaders:0"] = "X-Real-IP",
        });

        var tenant = await SendAsync(gateway, "x_tenant");
        var realIp = await SendAsync(gateway, "X-Real-IP");

        Assert.DoesNotContain(tenant.Headers, h => h.Value.Any(v => v?.Contains(Spoofed, StringComparison.Ordinal) == true));
        Assert.Equal(Spoofed, Assert.Single(realIp.Headers.First(h => h.Key.Equals("X-Real-IP", StringComparison.OrdinalIgnoreCase)).Value));
    }

    [Fact]
    public void AnIdentityHeaderCannotBeForwardedByConfiguration()
    {
        var failure = GatewayInstance.TryStart(
            YarpJson.Build(_destination.Url, new TestRoute("anonymous", "/anonymous/{**rest}", "anonymous")),
            new Dictionary<string, string?> { ["Gateway:Proxy:ForwardHeaders:0"] = "x_union_id" });

        Assert.NotNull(failure);
        Assert.Contains("Gateway:Proxy:ForwardHeaders:0", RoutePolicyValidationTests.AllMessages(failure));
    }

    private Task<GatewayInstance> StartAsync(Dictionary<string, string?> settings) =>
        GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("anonymous", "/anonymous/{**rest}", "anonymous")), settings);

    private async Task<HttpRequestRecord> SendAsync(GatewayInstance gateway, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/anonymous/x?probe=" + Guid.NewGuid().ToString("N"));
        request.Headers.TryAddWithoutValidation(name, Spoofed);

        var response = await gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        lock (_destination.Received)
        {
            return _destination.Received.Single(r => r.Query == request.RequestUri!.Query);
        }
    }
}
