using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Telemetry;

/// <summary>A real Prometheus server scrapes the gateway's management listener and counts a sandbox login.</summary>
public sealed class PrometheusScrapeTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    [Fact]
    public async Task PrometheusScrapingTheManagementListenerCountsASandboxLogin()
    {
        await using var prometheus = await PrometheusServer.StartAsync(_bed.Gateway.ManagementUrl);

        var (response, _) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _bed.NewUser());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        const string Query = """sum(gateway_logins_total{job="gateway",flow="miniprogram.login",app="mp",result="ok"})""";
        var counted = await Eventually.TrueAsync(
            async () => await prometheus.QueryAsync(Query) is [var series] && series.Value >= 1,
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(counted, $"Prometheus never saw the login ({Query}):\n{prometheus.Output}");
        var up = Assert.Single(await prometheus.QueryAsync("""up{job="gateway"}"""));
        Assert.Equal(1, up.Value);
    }
}
