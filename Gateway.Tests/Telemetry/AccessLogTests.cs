using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// The access log (category <c>Gateway.AccessLog</c>): one line per proxied request and per login, with route or
/// flow, status, duration, person id and trace id (docs/observability.md).
/// </summary>
public sealed class AccessLogTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    private List<string> LinesOf(Traceparent trace) =>
        _bed.Logs.Lines.Where(line => line.StartsWith("Gateway.AccessLog ", StringComparison.Ordinal) && line.Contains($"[TraceId={trace.TraceId}]", StringComparison.Ordinal)).ToList();

    private async Task<(string Token, long PersonId)> LogInAsync(Traceparent? trace = null)
    {
        var user = _bed.NewUser();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/wechat/miniprogram/mp/login")
        {
            Content = JsonContent.Create(new { code = _bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, user) }),
        };
        var (response, body) = await _bed.SendAsync(trace?.On(request) ?? request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (body.GetProperty("token").GetString()!, body.GetProperty("personId").GetInt64());
    }

    [Fact]
    public async Task AProxiedRequestIsOneLineWithRoutePolicyStatusDurationPersonAndTraceId()
    {
        var (token, personId) = await LogInAsync();
        var trace = Traceparent.New();
        using var request = trace.On(new HttpRequestMessage(HttpMethod.Get, "/api/orders?page=2"));
        request.Headers.Authorization = new("Bearer", token);

        var (response, _) = await _bed.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(LinesOf(trace));
        Assert.Contains("[Kind=proxy]", line, StringComparison.Ordinal);
        Assert.Contains("[Method=GET]", line, StringComparison.Ordinal);
        Assert.Contains("[Route=api]", line, StringComparison.Ordinal);
        Assert.Contains("[Policy=required]", line, StringComparison.Ordinal);
        Assert.Contains("[StatusCode=200]", line, StringComparison.Ordinal);
        Assert.Contains("[Outcome=forwarded]", line, StringComparison.Ordinal);
        Assert.Contains($"[PersonId={personId}]", line, StringComparison.Ordinal);
        Assert.Matches(@"\[DurationMs=\d+(\.\d+)?\]", line);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefusedProxiedRequestIsLoggedWithoutAPerson()
    {
        var trace = Traceparent.New();

        var (response, _) = await _bed.SendAsync(trace.On(new HttpRequestMessage(HttpMethod.Get, "/api/orders")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(LinesOf(trace));
        Assert.Contains("[StatusCode=401]", line, StringComparison.Ordinal);
        Assert.Contains("[Outcome=unauthorized]", line, StringComparison.Ordinal);
        Assert.Contains("[PersonId=]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALoginIsOneLineWithItsFlowStatusAndThePersonItSignedIn()
    {
        var trace = Traceparent.New();

        var (token, personId) = await LogInAsync(trace);

        var line = Assert.Single(LinesOf(trace));
        Assert.Contains("[Kind=login]", line, StringComparison.Ordinal);
        Assert.Contains("[Method=POST]", line, StringComparison.Ordinal);
        Assert.Contains("[Route=miniprogram.login]", line, StringComparison.Ordinal);
        Assert.Contains("[StatusCode=200]", line, StringComparison.Ordinal);
        Assert.Contains($"[PersonId={personId}]", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAccessLogCanBeTurnedOff()
    {
        var logs = new LogCapture();
        await using var destination = await TestDestination.StartAsync();
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(destination.Url, new TestRoute("open", "/open/{**rest}", "anonymous")),
            new Dictionary<string, string?> { ["Gateway:AccessLog:Enabled"] = "false" },
            logs: logs);

        using var response = await gateway.Public.GetAsync("/open/thing");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Gateway.AccessLog ", StringComparison.Ordinal));
    }
}
