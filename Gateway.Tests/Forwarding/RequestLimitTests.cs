using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

/// <summary>The listener's size bounds (appsettings.json, Kestrel:Limits) hold before anything is forwarded.</summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    private TestDestination _destination = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _destination = await TestDestination.StartAsync();
        _gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}")));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _destination.DisposeAsync();
    }

    [Fact]
    public async Task OversizedHeadersAreRefusedWith431AndNotForwarded()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/x");
        request.Headers.Add("X-Big", new string('a', 40 * 1024));

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(_destination.Received);
    }

    [Fact]
    public async Task OversizedBodyIsRefusedWith413()
    {
        // Expect: 100-continue lets the client hear the refusal before it streams the body (as curl does).
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/upload") { Content = new ByteArrayContent(new byte[11 * 1024 * 1024]) };
        request.Headers.ExpectContinue = true;

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", await ProxyRoutingTests.ErrorCodeAsync(response));
        Assert.Empty(_destination.Received);
    }

    [Fact]
    public async Task OversizedChunkedBodyIsCutOffWith413()
    {
        var content = new StreamContent(new MemoryStream(new byte[11 * 1024 * 1024]));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/upload?delayMs=3000") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OversizedRequestLineIsRefusedWith414()
    {
        var response = await _gateway.Public.GetAsync("/api/x?q=" + new string('a', 9000));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Empty(_destination.Received);
    }
}
