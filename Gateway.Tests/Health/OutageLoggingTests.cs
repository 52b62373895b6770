using System.Net;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Health;

/// <summary>
/// Through the gateway: while Redis is down, neither requests nor readiness polls write a line or a stack each;
/// the outage is one warning when it starts and one line when Redis answers again (docs/production.md, "Logs").
/// </summary>
public sealed class OutageLoggingTests
{
    private static readonly Uri NoDestination = new("http://127.0.0.1:9/");

    [Fact]
    public async Task ARedisOutageIsLoggedOnceWhenItStartsAndOnceWhenItEndsNotPerRequestOrPoll()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var logs = new LogCapture();
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(NoDestination, new TestRoute("api", "/api/{**rest}", "required")),
            new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = redis.Configuration },
            logs: logs);
        var sessions = new List<TestSession>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer));
        }

        await redis.StopAsync();
        foreach (var session in sessions)
        {
            using var response = await gateway.Public.SendAsync(session.Get("/api/orders"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.Public.GetAsync("/readyz")).StatusCode);
        }

        Assert.Single(Events(logs, 2105));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
        Assert.Empty(Events(logs, 3301));

        await redis.StartAgainAsync();
        Assert.True(await Eventually.TrueAsync(
            async () => (await gateway.Public.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)),
            "readiness did not recover after Redis came back");

        var recovery = Assert.Single(Events(logs, 3301));
        Assert.Contains("The ephemeral store (Redis) answers again after", recovery, StringComparison.Ordinal);
        Assert.Single(Events(logs, 2105));
    }

    /// <summary>LogCapture lines are "category level eventId message…".</summary>
    private static List<string> Events(LogCapture logs, int eventId) =>
        logs.Lines.Where(line => line.Split(' ', 4) is [_, _, var id, _] && id == eventId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
