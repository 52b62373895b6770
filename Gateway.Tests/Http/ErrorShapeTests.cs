using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Http;

/// <summary>
/// Every error the gateway produces, including those the HTTP layer raises under the app (a body that stalls,
/// a broken chunk, a method the endpoint does not take), is <c>{code, message}</c> JSON without exception text.
/// What Kestrel answers before the app sees a request is pinned here as docs/security.md describes it.
/// </summary>
public sealed class ErrorShapeTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly LoginTestbed _bed = fixture.Bed;

    private Uri Server => _bed.Gateway.PublicUrl;

    public static TheoryData<string> Endpoints() => new() { "/auth/wechat/miniprogram/mp/login", "/auth/wechat/app/app/login", "/auth/wechat/miniprogram/mp/bind" };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ABrokenChunkIsABadRequestInTheErrorShape(string path)
    {
        var answer = await RawHttp.SendAsync(Server,
            $"POST {path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{{}}\r\n0\r\n\r\n", Patience);

        AssertShaped(answer, 400);
        Assert.DoesNotContain("chunk", answer.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABodyThatStallsIsARequestTimeoutInTheErrorShape()
    {
        var head = Encoding.ASCII.GetBytes(
            "POST /auth/wechat/app/app/login HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"co");

        var answer = await RawHttp.SendAsync(Server, head, Patience);

        AssertShaped(answer, 408);
        Assert.Equal("request_timeout", Code(answer));
    }

    [Theory]
    [InlineData("GET", "/auth/wechat/miniprogram/mp/login")]
    [InlineData("PUT", "/auth/wechat/oa/oa/start")]
    [InlineData("DELETE", "/auth/logout")]
    [InlineData("OPTIONS", "/auth/session")]
    public async Task AMethodAnEndpointDoesNotTakeIsAnErrorInTheShape(string method, string path)
    {
        var response = await _bed.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("message").ValueKind);
    }

    /// <summary>Kestrel parses these before any middleware runs: it answers with the status and an empty body.</summary>
    [Theory]
    [InlineData("GET /api/x HTTP/1.1\r\nHost: gateway\r\nBad Header\r\n\r\n", 400)]
    [InlineData("GET /api/x HTTP/7.1\r\nHost: gateway\r\n\r\n", 505)]
    [InlineData("G\u0001T /api/x HTTP/1.1\r\nHost: gateway\r\n\r\n", 400)]
    public async Task WhatKestrelRefusesBeforeTheAppIsTheStatusWithAnEmptyBody(string request, int status)
    {
        var answer = await RawHttp.SendAsync(Server, request, Patience);

        Assert.Equal(status, answer.Status);
        Assert.Equal("", answer.Body);
    }

    private static string Code(RawHttp.Answer answer) => JsonDocument.Parse(answer.Body).RootElement.GetProperty("code").GetString()!;

    private static void AssertShaped(RawHttp.Answer answer, int status)
    {
        Assert.True(answer.Status == status, answer.Head + "\n\n" + answer.Body);
        Assert.StartsWith("application/json", answer.Header("Content-Type"));
        using var body = JsonDocument.Parse(answer.Body);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("message").ValueKind);
        Assert.DoesNotContain("Exception", answer.Body, StringComparison.Ordinal);
    }
}
