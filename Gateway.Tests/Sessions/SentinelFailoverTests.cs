using System.Net;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace Gateway.Tests.Sessions;

/// <summary>
/// A Sentinel failover under traffic (docs/high-availability.md): a primary, one replica and three sentinels of this
/// test's own, so killing the primary touches no other test. Sessions written and confirmed replicated (WAIT) before
/// the primary dies still validate once the gateway follows Sentinel to the promoted replica.
/// </summary>
public sealed class SentinelFailoverTests
{
    private const string ServiceName = "gwfailover";
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SessionsReplicatedBeforeThePrimaryDiesStillValidateOnThePromotedReplica()
    {
        await using var primary = await RedisServerProcess.StartAsync();
        await using var replica = await RedisServerProcess.StartAsync("--replicaof", "127.0.0.1", primary.Port.ToString());
        await using var sentinel1 = await RedisServerProcess.StartSentinelAsync(ServiceName, primary.Port);
        await using var sentinel2 = await RedisServerProcess.StartSentinelAsync(ServiceName, primary.Port);
        await using var sentinel3 = await RedisServerProcess.StartSentinelAsync(ServiceName, primary.Port);
        await using var destination = await TestDestination.StartAsync();
        var sentinels = $"{sentinel1.Configuration},{sentinel2.Configuration},{sentinel3.Configuration},serviceName={ServiceName}";
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(destination.Url, new TestRoute("orders", "/orders/{**rest}", "required")),
            new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = sentinels });

        var sessions = new List<TestSession>();
        for (var i = 0; i < 20; i++)
        {
            sessions.Add(await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer));
        }

        await using (var direct = await ConnectionMultiplexer.ConnectAsync(primary.Configuration))
        {
            // WAIT: the replica acknowledged every write so far. Only such writes are promised to survive.
            var acknowledged = (long)await direct.GetDatabase().ExecuteAsync("WAIT", 1, 10_000);
            Assert.Equal(1, acknowledged);
        }

        using var traffic = new CancellationTokenSource();
        var during = Task.Run(async () =>
        {
            var sent = 0;
            while (!traffic.IsCancellationRequested)
            {
                // Outcomes during the failover itself are not asserted: the store is briefly unreachable (503).
                await gateway.Public.SendAsync(sessions[sent++ % sessions.Count].Get("/orders/1"));
                await Task.Delay(20);
            }

            return sent;
        });

        await primary.StopAsync();

        Assert.True(await Eventually.TrueAsync(() => IsPrimaryAsync(replica), FailoverBound), "Sentinel did not promote the replica");
        Assert.True(
            await Eventually.TrueAsync(async () => (await gateway.Public.SendAsync(sessions[0].Get("/orders/1"))).StatusCode == HttpStatusCode.OK, FailoverBound),
            "the gateway did not reach the promoted replica");
        await traffic.CancelAsync();
        Assert.True(await during > 0);

        foreach (var session in sessions)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
        }
    }

    private static async Task<bool> IsPrimaryAsync(RedisServerProcess server)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true");
        var info = await connection.GetServer(server.Configuration).InfoRawAsync("replication");
        return info?.Contains("role:master", StringComparison.Ordinal) == true;
    }
}
