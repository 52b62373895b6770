using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gateway.Auth.Forwarding;
using Gateway.Auth.Management;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

public sealed class ManagementAccessTests : IAsyncLifetime
{
    private TestDestination _destination = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _destination = await TestDestination.StartAsync();
        _gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url,
            new TestRoute("catch-all", "/{**rest}"), new TestRoute("orders", "/orders/{**rest}", "required")));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _destination.DisposeAsync();
    }

    [Fact]
    public async Task ManagementEndpointAnswersOnTheManagementListenerWithTheApiKey()
    {
        var response = await _gateway.Management.SendAsync(WithKey(HttpMethod.Get, "/_gateway/routes", GatewayInstance.ManagementApiKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var routes = await response.Content.ReadFromJsonAsync<RouteTableEntry[]>();
        Assert.Equal(
            [new RouteTableEntry("catch-all", "/{**rest}", "backend", "anonymous"), new RouteTableEntry("orders", "/orders/{**rest}", "backend", "required")],
            routes!);
    }

    [Fact]
    public async Task RuntimeStatusReportsTheProcesssMemoryAndGcHeapWithTheApiKeyOnly()
    {
        var response = await _gateway.Management.SendAsync(WithKey(HttpMethod.Get, "/_gateway/runtime", GatewayInstance.ManagementApiKey));
        var withoutKey = await _gateway.Management.GetAsync("/_gateway/runtime");
        var onPublic = await _gateway.Public.SendAsync(WithKey(HttpMethod.Get, "/_gateway/runtime", GatewayInstance.ManagementApiKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = (await response.Content.ReadFromJsonAsync<RuntimeStatus>())!;
        // Committed heap pages need not be resident, so the working set can be smaller than the GC heap.
        Assert.True(status.WorkingSetBytes > 0 && status.PrivateBytes > 0 && status.GcHeapSizeBytes > 0, $"{status}");
        Assert.True(status.GcAllocatedBytes >= status.GcHeapSizeBytes && status.ThreadPoolThreads > 0, $"{status}");
        Assert.Equal(3, status.Collections.Length);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("test-management-key-012345678")]
    [InlineData("test-management-key-0123456789x")]
    public async Task ManagementEndpointWithoutTheRightKeyIs401(string? key)
    {
        var request = key is null ? new HttpRequestMessage(HttpMethod.Get, "/_gateway/routes") : WithKey(HttpMethod.Get, "/_gateway/routes", key);

        var response = await _gateway.Management.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("management_unauthorized", await ProxyRoutingTests.ErrorCodeAsync(response));
    }

    /// <summary>
    /// Guessing the key is throttled per address: after the allowed wrong keys, every attempt is 429 with
    /// Retry-After until the window ends, the right key included, so a guess made while blocked reveals nothing.
    /// </summary>
    [Fact]
    public async Task WrongManagementKeysFromOneAddressAreThrottledWithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await _gateway.Management.SendAsync(WithKey(HttpMethod.Get, "/_gateway/routes", $"wrong-key-{i}"))).StatusCode);
        }

        var withRightKey = await _gateway.Management.SendAsync(WithKey(HttpMethod.Get, "/_gateway/routes", GatewayInstance.ManagementApiKey));

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), statuses.Take(10));
        Assert.All(statuses.Skip(10), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, withRightKey.StatusCode);
        Assert.Equal("management_throttled", await ProxyRoutingTests.ErrorCodeAsync(withRightKey));
        Assert.True(withRightKey.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task TheRightKeyIsNeverThrottled()
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _gateway.Management.SendAsync(WithKey(HttpMethod.Get, "/_gateway/routes", GatewayInstance.ManagementApiKey))).StatusCode);
        }
    }

    [Theory]
    [InlineData("/_gateway/routes")]
    [InlineData("/_GATEWAY/routes")]
    [InlineData("/_gateway/routes/")]
    public async Task ManagementEndpointIsNotReachableThroughThePublicListenerEvenWithKeyAndSpoofedHost(string path)
    {
        var request = WithKey(HttpMethod.Get, path, GatewayInstance.ManagementApiKey);
        request.Headers.Host = _gateway.ManagementUrl.Authority;

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("catch-all", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ManagementListenerDoesNotProxy()
    {
        var response = await _gateway.Management.GetAsync("/anything/at/all");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_destination.Received);
    }

    [Theory]
    [InlineData("/healthz")]
    public async Task HealthIsServedOnBothListeners(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Public.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Management.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task HealthIsNotShadowedByACatchAllRoute()
    {
        var response = await _gateway.Public.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_destination.Received);
    }

    [Fact]
    public void StartUpFailsWithoutAManagementApiKey()
    {
        var failure = GatewayInstance.TryStart(
            YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Management:ApiKey"] = "short" });

        Assert.NotNull(failure);
        Assert.Contains("Management:ApiKey", RoutePolicyValidationTests.AllMessages(failure));
    }

    private static HttpRequestMessage WithKey(HttpMethod method, string path, string key) =>
        new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
}
