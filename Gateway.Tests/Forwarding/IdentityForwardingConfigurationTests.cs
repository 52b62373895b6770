using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

public sealed class IdentityForwardingConfigurationTests : IAsyncLifetime
{
    private TestDestination _destination = null!;

    public async Task InitializeAsync() => _destination = await TestDestination.StartAsync();

    public async Task DisposeAsync() => await _destination.DisposeAsync();

    [Theory]
    [InlineData("RS256")]
    [InlineData("none")]
    [InlineData("HS512")]
    public void UnknownAssertionAlgorithmStopsStartUpNamingTheCluster(string algorithm)
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(_destination.Url, [new TestRoute("api", "/api/{**rest}")], assertionAlgorithm: algorithm));

        Assert.NotNull(failure);
        Assert.Contains("Cluster 'backend' has Metadata.IdentityAssertionAlgorithm", failure.ToString());
    }

    [Theory]
    [InlineData("//evil.example/login")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/login")]
    [InlineData("/auth/start?x=1#frag")]
    [InlineData("/auth/ start")]
    public void LoginPathThatIsNotALocalPathStopsStartUpNamingTheRoute(string loginPath)
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(_destination.Url, new TestRoute("orders", "/orders/{**rest}", "required", LoginPath: loginPath)));

        Assert.NotNull(failure);
        Assert.Contains("Route 'orders' has Metadata.LoginPath", failure.ToString());
    }

    [Fact]
    public async Task JwksIsServedOnTheManagementListenerWithoutTheApiKeyAndNotOnThePublicListener()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("catch-all", "/{**rest}")));

        var management = await gateway.Management.GetAsync("/.well-known/jwks.json");
        var publicListener = await gateway.Public.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, management.StatusCode);
        Assert.Equal("application/jwk-set+json", management.Content.Headers.ContentType?.MediaType);
        using var jwks = JsonDocument.Parse(await management.Content.ReadAsStringAsync());
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(Signing.TestKeys.Es256Id, key.GetProperty("kid").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        Assert.Equal(HttpStatusCode.NotFound, publicListener.StatusCode);
        Assert.Empty(_destination.Received);
    }
}
