using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Login;
using Gateway.WeChatSandbox;

namespace Gateway.Tests.Telemetry;

/// <summary>Every error body the gateway writes carries the request's trace id as <c>traceId</c>.</summary>
public sealed class ErrorTraceIdTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    private async Task<JsonElement> ErrorAsync(HttpRequestMessage request, HttpStatusCode status, string code, Traceparent trace)
    {
        var (response, body) = await _bed.SendAsync(trace.On(request));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(trace.TraceId, body.GetProperty("traceId").GetString());
        return body;
    }

    [Fact]
    public async Task ARequiredRouteWithoutASessionNamesTheTrace() =>
        await ErrorAsync(new HttpRequestMessage(HttpMethod.Get, "/api/orders"), HttpStatusCode.Unauthorized, "session_required", Traceparent.New());

    [Fact]
    public async Task ARefusedLoginNamesTheTrace() =>
        await ErrorAsync(
            new HttpRequestMessage(HttpMethod.Post, "/auth/wechat/miniprogram/mp/login") { Content = JsonContent.Create(new { }) },
            HttpStatusCode.BadRequest, "invalid_request", Traceparent.New());

    [Fact]
    public async Task AnUnknownPathNamesTheTrace() =>
        await ErrorAsync(new HttpRequestMessage(HttpMethod.Get, "/nothing/here"), HttpStatusCode.NotFound, "route_not_found", Traceparent.New());

    [Fact]
    public async Task AnUnavailableWeChatNamesTheTrace()
    {
        _bed.Sandbox.SetFaults(LoginTestbed.Unbound, new SandboxFaults { SystemBusyCalls = 1000 });
        try
        {
            await ErrorAsync(
                new HttpRequestMessage(HttpMethod.Post, "/auth/wechat/miniprogram/unbound/login")
                {
                    Content = JsonContent.Create(new { code = _bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.Unbound, _bed.NewUser()) }),
                },
                HttpStatusCode.ServiceUnavailable, "wechat_unavailable", Traceparent.New());
        }
        finally
        {
            _bed.Sandbox.ClearFaults(LoginTestbed.Unbound);
        }
    }

    [Fact]
    public async Task WithoutTraceContextTheBodyStillCarriesATraceId()
    {
        var (response, body) = await _bed.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/nothing/here"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("traceId").GetString());
    }
}
