using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Telemetry;

/// <summary>The shipped Grafana dashboard (deploy/grafana/gateway-dashboard.json) queries only metrics the gateway exports.</summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly HashSet<string> PromQlWords =
    [
        "sum", "rate", "irate", "increase", "histogram_quantile", "avg", "max", "min", "count", "by", "without", "and", "or", "unless",
        "on", "ignoring", "group_left", "group_right", "offset", "bool", "topk", "bottomk", "clamp_min", "clamp_max", "abs", "le",
    ];

    public static string DashboardPath => Path.Combine(Repository.Root, "deploy", "grafana", "gateway-dashboard.json");

    /// <summary>Every PromQL expression of every panel.</summary>
    public static IReadOnlyList<string> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
    }

    /// <summary>The metric names an expression reads: what is left once strings, label matchers, groupings, ranges and functions are removed.</summary>
    public static IEnumerable<string> MetricNames(string expression)
    {
        var bare = Ranges().Replace(Groupings().Replace(Matchers().Replace(Strings().Replace(expression, ""), ""), ""), "");
        return Identifiers().Matches(bare).Select(m => m.Value).Where(word => !PromQlWords.Contains(word));
    }

    [Fact]
    public void TheDashboardCoversEveryGatewayInstrument()
    {
        var names = Queries().SelectMany(MetricNames).ToHashSet();

        Assert.Contains("gateway_logins_total", names);
        Assert.Contains("gateway_wechat_call_duration_seconds_bucket", names);
        Assert.Contains("gateway_sessions_issued_total", names);
        Assert.Contains("gateway_sessions_revoked_total", names);
        Assert.Contains("gateway_sessions_checked_total", names);
        Assert.Contains("gateway_proxy_request_duration_seconds_count", names);
        Assert.Contains("gateway_assertions_signed_total", names);
        Assert.Contains("gateway_redis_operation_duration_seconds_bucket", names);
        Assert.Contains("gateway_database_operation_duration_seconds_bucket", names);
        Assert.Contains("gateway_rate_limit_refusals_total", names);
    }

    [Fact]
    public async Task EveryMetricTheDashboardQueriesAppearsInALiveScrape()
    {
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Management:FailedKeyLimit"] = "1" });
        var (_, login) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, bed.NewUser());
        var token = login.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await bed.GetAsync("/api/orders", token)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bed.GetAsync("/api/orders", token)).Response.StatusCode);
        await bed.PostAsync("/auth/logout", new { }, token);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/_gateway/routes");
            wrongKey.Headers.Authorization = new("Bearer", "not-the-management-key-at-all");
            (await bed.Gateway.Management.SendAsync(wrongKey)).Dispose();
        }

        var exported = (await Scrape.SamplesAsync(bed.Gateway)).Select(s => s.Name).ToHashSet();

        var queried = Queries().SelectMany(MetricNames).ToHashSet();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.True(exported.Contains(name), $"The dashboard queries {name}, which the gateway does not export."));
    }

    [GeneratedRegex("\"(\\\\.|[^\"\\\\])*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b")]
    private static partial Regex Identifiers();
}
