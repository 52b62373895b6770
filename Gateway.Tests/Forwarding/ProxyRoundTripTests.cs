using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gateway.Auth.Sessions;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace Gateway.Tests.Forwarding;

/// <summary>
/// The proxy path's budget, counted rather than timed: no database statement, at most one Redis round trip per
/// request however many sessions are in play, none while a session is trusted from the local cache, and one read
/// for a burst of one session's requests.
/// </summary>
public sealed class ProxyRoundTripTests
{
    [Fact]
    public async Task AProxiedRequestRunsNoDatabaseStatement()
    {
        await using var destination = await TestDestination.StartAsync();
        await using var gateway = await StartAsync(destination, new() { ["Sessions:LocalCacheDuration"] = "00:00:00" });
        using var statements = new DatabaseStatements(gateway);
        var sessions = await IssueAsync(gateway, 10);
        Assert.True(statements.Count > 0, "identity resolution ran no statement the listener saw: the count below would prove nothing");

        var before = statements.Count;
        await SendAllAsync(gateway.Public, sessions.SelectMany(session => new[] { session.Get("/orders/1"), session.Get("/open/1") }));

        Assert.Equal(0, statements.Count - before);
    }

    [Fact]
    public async Task EachOfManyDistinctSessionsCostsAtMostOneRedisRoundTripPerRequest()
    {
        await using var destination = await TestDestination.StartAsync();
        // No local cache: every request is a miss, the case of a large population of users.
        await using var gateway = await StartAsync(destination, new() { ["Sessions:LocalCacheDuration"] = "00:00:00" });
        var sessions = await IssueAsync(gateway, 300);
        var roundTrips = gateway.Services.GetRequiredService<EphemeralStoreRoundTrips>();

        var before = roundTrips.Count;
        var requests = sessions.Concat(sessions).Select(session => session.Get("/orders/1")).ToList();
        await SendAllAsync(gateway.Public, requests);
        var used = roundTrips.Count - before;

        Assert.InRange(used, 1, requests.Count);
    }

    [Fact]
    public async Task ASessionTrustedFromTheLocalCacheCostsNoRedisRoundTrip()
    {
        await using var destination = await TestDestination.StartAsync();
        await using var gateway = await StartAsync(destination, new() { ["Sessions:LocalCacheDuration"] = "00:00:01" });
        var session = (await IssueAsync(gateway, 1)).Single();
        var roundTrips = gateway.Services.GetRequiredService<EphemeralStoreRoundTrips>();

        // A slow moment on a shared machine can outlast the one-second trust; only a burst inside it is judged.
        for (var attempt = 0; ; attempt++)
        {
            var first = roundTrips.Count;
            var clock = Stopwatch.StartNew();
            await SendAllAsync(gateway.Public, [session.Get("/orders/1")]);
            var afterMiss = roundTrips.Count;
            await SendAllAsync(gateway.Public, Enumerable.Range(0, 20).Select(_ => session.Get("/orders/1")));
            var afterHits = roundTrips.Count;
            if (clock.Elapsed < TimeSpan.FromMilliseconds(800) || attempt == 4)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the machine was too slow to judge the cache within its one second");
                Assert.InRange(afterMiss - first, 0, 1);
                Assert.Equal(0, afterHits - afterMiss);
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1.1));
        }
    }

    [Fact]
    public async Task SixtyFourConcurrentRequestsOfOneSessionThatMissTogetherShareOneRedisRead()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var destination = await TestDestination.StartAsync();
        await using var gateway = await StartAsync(destination, new()
        {
            ["Storage:Ephemeral:Redis"] = redis.Configuration,
            ["Storage:Ephemeral:OperationTimeout"] = "00:00:05",
            ["Sessions:LocalCacheDuration"] = "00:00:01",
        });
        var session = (await IssueAsync(gateway, 1)).Single();
        var roundTrips = gateway.Services.GetRequiredService<EphemeralStoreRoundTrips>();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { BaseAddress = gateway.PublicUrl };
        // Open the 64 connections first, on a route that needs no session, so the burst below arrives together.
        await SendAllAsync(client, Enumerable.Range(0, 64).Select(_ => new HttpRequestMessage(HttpMethod.Get, "/open/warm")), concurrency: 64);

        var before = roundTrips.Count;
        redis.Freeze();
        var burst = SendAllAsync(client, Enumerable.Range(0, 64).Select(_ => session.Get("/orders/1")), concurrency: 64);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var whileFrozen = roundTrips.Count - before;
        redis.Thaw();
        await burst;

        Assert.Equal(1, whileFrozen);
        Assert.Equal(1, roundTrips.Count - before);
    }

    private static Task<GatewayInstance> StartAsync(TestDestination destination, Dictionary<string, string?> settings) =>
        GatewayInstance.StartAsync(
            YarpJson.Build(destination.Url, new TestRoute("orders", "/orders/{**rest}", "required"), new TestRoute("open", "/open/{**rest}", "anonymous")),
            settings);

    private static async Task<List<TestSession>> IssueAsync(GatewayInstance gateway, int count)
    {
        var sessions = new ConcurrentBag<TestSession>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
            sessions.Add(await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer)));
        return [.. sessions];
    }

    /// <summary>Sends every request (each answered 200, or the test fails) with the given concurrency.</summary>
    private static async Task SendAllAsync(HttpClient client, IEnumerable<HttpRequestMessage> requests, int concurrency = 16) =>
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (request, cancellationToken) =>
        {
            using (request)
            using (var response = await client.SendAsync(request, cancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        });

    /// <summary>
    /// Every command MySqlConnector runs against the gateway's own database, seen through the driver's activity
    /// source, so statements issued anywhere in the gateway count, not only those a store chooses to report.
    /// </summary>
    private sealed class DatabaseStatements : IDisposable
    {
        private readonly ActivityListener _listener;
        private long _count;

        public DatabaseStatements(GatewayInstance gateway)
        {
            var database = new MySqlConnectionStringBuilder(
                gateway.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Storage:Relational:ConnectionString"]!).Database;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "MySqlConnector",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == "Execute"
                        && (activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name")) as string == database)
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
