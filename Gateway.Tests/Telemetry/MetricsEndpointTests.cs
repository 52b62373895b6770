using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// The Prometheus endpoint on the management listener and what the <c>Gateway</c> meter counts, read from a live
/// scrape after real logins against the sandbox and real proxied requests (docs/observability.md).
/// </summary>
public sealed class MetricsEndpointTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    [Fact]
    public async Task MetricsAreServedOnTheManagementListenerWithoutTheApiKey()
    {
        (await _bed.Api.GetAsync("/healthz")).Dispose();

        using var response = await _bed.Gateway.Management.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        var samples = Scrape.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(samples, s => s.Name.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePublicListenerHasNoMetrics()
    {
        using var response = await _bed.Api.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("route_not_found", body.RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("gateway_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginsAreCountedByFlowAppResultAndWeChatErrcode()
    {
        var before = await Scrape.SamplesAsync(_bed.Gateway);
        var user = _bed.NewUser();

        var (ok, _) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
        var (refused, _) = await _bed.PostAsync("/auth/wechat/miniprogram/mp/login", new { code = "not-a-code-wechat-issued" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var after = await Scrape.SamplesAsync(_bed.Gateway);
        double Delta(params (string, string)[] labels) => Scrape.Sum(after, "gateway_logins_total", labels) - Scrape.Sum(before, "gateway_logins_total", labels);
        Assert.Equal(1, Delta(("flow", "miniprogram.login"), ("app", "mp"), ("result", "ok")));
        Assert.Equal(1, Delta(("flow", "miniprogram.login"), ("app", "mp"), ("result", "code_invalid"), ("wechat_errcode", "40029")));
    }

    [Fact]
    public async Task AnAppKeyNoConfigurationHasIsCountedAsUnknown()
    {
        var (response, _) = await _bed.PostAsync("/auth/wechat/miniprogram/made-up-app-key/login", new { code = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var samples = await Scrape.SamplesAsync(_bed.Gateway);
        Assert.True(Scrape.Sum(samples, "gateway_logins_total", ("app", "unknown"), ("result", "app_not_found")) >= 1);
        Assert.DoesNotContain(samples, s => s.Labels.Values.Contains("made-up-app-key"));
    }

    [Fact]
    public async Task WeChatCallsSessionsStoresAssertionsAndProxiedRequestsAreMeasured()
    {
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _bed.NewUser());
        var token = login.GetProperty("token").GetString()!;
        var (proxied, _) = await _bed.GetAsync("/api/orders", token);
        var (unauthorized, _) = await _bed.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/orders"));
        var (loggedOut, _) = await _bed.PostAsync("/auth/logout", new { }, token);

        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.True(loggedOut.IsSuccessStatusCode, $"logout answered {loggedOut.StatusCode}");
        var samples = await Scrape.SamplesAsync(_bed.Gateway);
        Assert.True(Scrape.Sum(samples, "gateway_wechat_call_duration_seconds_count", ("endpoint", "sns/jscode2session"), ("result", "ok")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_sessions_issued_total", ("channel", "mini_program"), ("transport", "bearer")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_sessions_checked_total", ("result", "valid")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_sessions_revoked_total", ("scope", "session")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_proxy_request_duration_seconds_count", ("route", "api"), ("policy", "required"), ("outcome", "forwarded")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_proxy_request_duration_seconds_count", ("route", "api"), ("outcome", "unauthorized")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_assertions_signed_total") >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_redis_operation_duration_seconds_count", ("result", "ok")) >= 1);
        Assert.True(Scrape.Sum(samples, "gateway_database_operation_duration_seconds_count", ("db_system", "mysql"), ("result", "ok")) >= 1);
        // HttpClient's own instruments, beside the gateway's: at least the call to WeChat (the sandbox).
        Assert.True(Scrape.Sum(samples, "http_client_request_duration_seconds_count") >= 1);
    }

    [Fact]
    public async Task RateLimitRefusalsAreCountedByLimit()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Management:FailedKeyLimit"] = "1" });
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/_gateway/routes");
        wrong.Headers.Authorization = new("Bearer", "not-the-management-key-at-all");
        (await bed.Gateway.Management.SendAsync(wrong)).Dispose();

        using var again = new HttpRequestMessage(HttpMethod.Get, "/_gateway/routes");
        again.Headers.Authorization = new("Bearer", "not-the-management-key-at-all");
        using var throttled = await bed.Gateway.Management.SendAsync(again);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(1, Scrape.Sum(await Scrape.SamplesAsync(bed.Gateway), "gateway_rate_limit_refusals_total", ("limit", "management_key")));
    }
}
