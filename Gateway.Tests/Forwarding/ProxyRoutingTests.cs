using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

public sealed class ProxyRoutingTests : IAsyncLifetime
{
    private TestDestination _destination = null!;

    public async Task InitializeAsync() => _destination = await TestDestination.StartAsync();

    public async Task DisposeAsync() => await _destination.DisposeAsync();

    [Fact]
    public async Task RequestIsForwardedWithPathAndQueryPreserved()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));

        var response = await gateway.Public.GetAsync("/api/orders/42?status=paid&name=%E5%B0%8F%E6%98%8E&x=a%2Bb");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await HttpRequestRecord.ReadAsync(response);
        Assert.Equal("/api/orders/42", received.Path);
        Assert.Equal("?status=paid&name=%E5%B0%8F%E6%98%8E&x=a%2Bb", received.Query);
    }

    [Fact]
    public async Task PostBodyAndMethodReachTheDestination()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));

        var response = await gateway.Public.PutAsync("/api/orders/42", new StringContent("{\"a\":1}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PUT", (await HttpRequestRecord.ReadAsync(response)).Method);
    }

    [Fact]
    public async Task UnknownPathGets404WithJsonCode()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));

        var response = await gateway.Public.GetAsync("/other/thing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("route_not_found", await ErrorCodeAsync(response));
        Assert.Empty(_destination.Received);
    }

    [Fact]
    public async Task DeadDestinationGives502WithJsonBody()
    {
        var deadAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(deadAddress, new TestRoute("api", "/api/{**rest}")));

        var response = await gateway.Public.GetAsync("/api/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("destination_unavailable", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task DestinationSlowerThanTheClusterTimeoutGives504WithJsonBody()
    {
        var yarp = YarpJson.Build(_destination.Url, [new TestRoute("api", "/api/{**rest}")], activityTimeout: TimeSpan.FromMilliseconds(300));
        await using var gateway = await GatewayInstance.StartAsync(yarp);

        var response = await gateway.Public.GetAsync("/api/slow?delayMs=5000");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("destination_timeout", await ErrorCodeAsync(response));
    }

    [Fact]
    public async Task ClusterWithoutTimeoutGetsTheConfiguredDefault()
    {
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Gateway:Proxy:DefaultActivityTimeout"] = "00:00:00.300" });

        var response = await gateway.Public.GetAsync("/api/slow?delayMs=5000");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task RouteAddedToYarpJsonWhileRunningIsServedWithoutRestart()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Public.GetAsync("/added/x")).StatusCode);

        await File.WriteAllTextAsync(gateway.YarpPath, YarpJson.Build(_destination.Url,
            new TestRoute("api", "/api/{**rest}"), new TestRoute("added", "/added/{**rest}")));

        var served = await Eventually.TrueAsync(async () =>
            (await gateway.Public.GetAsync("/added/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15));
        Assert.True(served, "the route added to yarp.json was not served within 15 s");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/api/still-there")).StatusCode);
    }

    [Fact]
    public async Task InvalidRouteWrittenWhileRunningKeepsThePreviousConfiguration()
    {
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));

        await File.WriteAllTextAsync(gateway.YarpPath, YarpJson.Build(_destination.Url,
            new TestRoute("api", "/api/{**rest}"), new TestRoute("broken", "/broken/{**rest}", "public")));
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/api/x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Public.GetAsync("/broken/x")).StatusCode);
    }

    [Fact]
    public async Task AnInvalidYarpJsonWrittenWhileRunningIsLoggedOnceNamingTheRoute()
    {
        var logs = new LogCapture();
        await using var gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")), logs: logs);

        await File.WriteAllTextAsync(gateway.YarpPath, YarpJson.Build(_destination.Url,
            new TestRoute("api", "/api/{**rest}"), new TestRoute("broken", "/broken/{**rest}", "public")));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Refusals(logs).Count > 0), TimeSpan.FromSeconds(15)), "the refused reload was not logged");
        // A valid file afterwards: once it is served, every reload of the invalid one has been handled.
        await File.WriteAllTextAsync(gateway.YarpPath, YarpJson.Build(_destination.Url,
            new TestRoute("api", "/api/{**rest}"), new TestRoute("after", "/after/{**rest}")));
        Assert.True(await Eventually.TrueAsync(async () => (await gateway.Public.GetAsync("/after/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15)),
            "the valid yarp.json written next was not served");

        var refusal = Assert.Single(Refusals(logs));
        Assert.Contains("Route 'broken'", refusal, StringComparison.Ordinal);
        Assert.Equal(1, refusal.Split('\n').Count(line => line.Contains("Route 'broken'", StringComparison.Ordinal)));
    }

    private static List<string> Refusals(LogCapture logs) =>
        logs.Lines.Where(line => line.Contains("'broken'", StringComparison.Ordinal) && (line.Contains(" Warning ", StringComparison.Ordinal) || line.Contains(" Error ", StringComparison.Ordinal))).ToList();

    internal static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(document.RootElement.TryGetProperty("message", out _), "an error body carries a message");
        return document.RootElement.GetProperty("code").GetString();
    }
}
