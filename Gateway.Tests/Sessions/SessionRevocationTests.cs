using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sessions;

/// <summary>
/// Two gateway instances sharing Redis and the identity database, as in production (docs/security.md §7): a session works
/// on either, and every way of ending sessions takes effect on both within one second. Runs on one Redis node, a Redis
/// Cluster and Sentinel (the derived classes below).
/// </summary>
public abstract class SessionRevocationTests(SessionRevocationTests.Fixture fixture)
{
    private static readonly TimeSpan RevocationBound = TimeSpan.FromSeconds(1);

    private readonly GatewayInstance _a = fixture.A;
    private readonly GatewayInstance _b = fixture.B;

    [Theory]
    [InlineData(SessionTransport.Cookie)]
    [InlineData(SessionTransport.Bearer)]
    public async Task SessionMadeOnOneInstanceWorksOnTheOther(SessionTransport transport)
    {
        var session = await GatewaySessions.IssueAsync(_a, GatewaySessions.NewMiniProgramLogin(), transport);

        Assert.Equal(HttpStatusCode.OK, (await _b.Public.SendAsync(session.Get("/auth/session"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _b.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
    }

    [Theory]
    [InlineData(SessionTransport.Cookie)]
    [InlineData(SessionTransport.Bearer)]
    public async Task LogoutOnOneInstanceEndsTheSessionOnBothWithinOneSecond(SessionTransport transport)
    {
        var session = await GatewaySessions.IssueAsync(_a, GatewaySessions.NewMiniProgramLogin(), transport);
        await WarmAsync(session);

        var logout = await _a.Public.SendAsync(session.Post("/auth/logout"));
        var revokedAt = Stopwatch.GetTimestamp();

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        if (transport == SessionTransport.Cookie)
        {
            var deletion = Assert.Single(logout.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith($"{SessionOptions.DefaultCookieName}=;", deletion);
            Assert.Contains("expires=Thu, 01 Jan 1970", deletion);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _a.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
        await AssertEndsOnBWithinBoundAsync(session, revokedAt);
    }

    [Fact]
    public async Task LogoutEverywhereEndsEverySessionOfThePersonOnBothInstancesAndNoOneElses()
    {
        var login = GatewaySessions.NewMiniProgramLogin();
        var phone = await GatewaySessions.IssueAsync(_a, login, SessionTransport.Bearer);
        var browser = await GatewaySessions.IssueAsync(_b, login, SessionTransport.Cookie);
        var someoneElse = await GatewaySessions.IssueAsync(_a, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        Assert.Equal(phone.Identity.PersonId, browser.Identity.PersonId);
        await WarmAsync(phone);
        await WarmAsync(browser);

        Assert.Equal(HttpStatusCode.NoContent, (await _a.Public.SendAsync(phone.Post("/auth/logout-everywhere"))).StatusCode);
        var revokedAt = Stopwatch.GetTimestamp();

        await AssertEndsOnBWithinBoundAsync(browser, revokedAt);
        await AssertEndsOnBWithinBoundAsync(phone, revokedAt);
        Assert.Equal(HttpStatusCode.OK, (await _b.Public.SendAsync(someoneElse.Get("/orders/1"))).StatusCode);
    }

    [Fact]
    public async Task DisablingAPersonEndsAllTheirSessionsOnEveryInstance()
    {
        var login = GatewaySessions.NewMiniProgramLogin();
        var first = await GatewaySessions.IssueAsync(_a, login, SessionTransport.Bearer);
        var second = await GatewaySessions.IssueAsync(_a, login, SessionTransport.Cookie);
        await WarmAsync(first);
        await WarmAsync(second);

        var disable = await _a.Management.SendAsync(Management(HttpMethod.Post, $"/_gateway/persons/{first.Identity.PersonId}/disable"));
        var revokedAt = Stopwatch.GetTimestamp();

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await AssertEndsOnBWithinBoundAsync(first, revokedAt);
        await AssertEndsOnBWithinBoundAsync(second, revokedAt);
    }

    [Fact]
    public async Task MergingAPersonIntoAnotherEndsTheMergedPersonsSessionsSoDisablingTheSurvivorLeavesNoneBehind()
    {
        // An openid-only Mini Program user signs in; later a login brings the unionid another person holds.
        var openIdOnly = new LoginIdentity(new AppId("wx_merge_mp"), new OpenId("o" + Guid.NewGuid().ToString("N")[..20]), null, LoginChannel.MiniProgram);
        var legacySession = await GatewaySessions.IssueAsync(_a, openIdOnly, SessionTransport.Bearer);
        await WarmAsync(legacySession);
        var unionId = "u" + Guid.NewGuid().ToString("N")[..20];
        var holder = await GatewaySessions.IssueAsync(_a, new LoginIdentity(new AppId("wx_merge_web"), new OpenId("o" + Guid.NewGuid().ToString("N")[..20]), new UnionId(unionId), LoginChannel.Website), SessionTransport.Cookie);

        var merged = await _a.Services.GetRequiredService<IIdentityResolver>().ResolveAsync(openIdOnly with { UnionId = new UnionId(unionId) });
        var revokedAt = Stopwatch.GetTimestamp();

        Assert.Equal(holder.Identity.PersonId, merged.PersonId);
        await AssertEndsOnBWithinBoundAsync(legacySession, revokedAt);
        await WarmAsync(holder);
    }

    [Fact]
    public async Task ManagementRevocationEndsEverySessionOfThePerson()
    {
        var session = await GatewaySessions.IssueAsync(_a, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        await WarmAsync(session);

        var revoke = await _a.Management.SendAsync(Management(HttpMethod.Post, $"/_gateway/persons/{session.Identity.PersonId}/sessions/revoke"));
        var revokedAt = Stopwatch.GetTimestamp();

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await AssertEndsOnBWithinBoundAsync(session, revokedAt);
    }

    [Fact]
    public async Task ManagementRevocationIsNotReachableThroughThePublicListener()
    {
        var session = await GatewaySessions.IssueAsync(_a, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var response = await _a.Public.SendAsync(Management(HttpMethod.Post, $"/_gateway/persons/{session.Identity.PersonId}/sessions/revoke"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _b.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
    }

    [Fact]
    public async Task ALoginAfterLogoutEverywhereGetsAWorkingSession()
    {
        var login = GatewaySessions.NewMiniProgramLogin();
        var old = await GatewaySessions.IssueAsync(_a, login, SessionTransport.Bearer);
        Assert.Equal(HttpStatusCode.NoContent, (await _a.Public.SendAsync(old.Post("/auth/logout-everywhere"))).StatusCode);

        var fresh = await GatewaySessions.IssueAsync(_b, login, SessionTransport.Bearer);

        Assert.Equal(HttpStatusCode.OK, (await _a.Public.SendAsync(fresh.Get("/orders/1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _a.Public.SendAsync(old.Get("/orders/1"))).StatusCode);
    }

    [Fact]
    public async Task CrossSiteLogoutIsRefusedAndTheSessionSurvives()
    {
        var session = await GatewaySessions.IssueAsync(_a, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);
        var request = session.Post("/auth/logout");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await _a.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _a.Public.SendAsync(session.Get("/auth/session"))).StatusCode);
    }

    [Fact]
    public async Task LogoutEverywhereWithoutASessionIs401()
    {
        var response = await _a.Public.PostAsync("/auth/logout-everywhere", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static HttpRequestMessage Management(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayInstance.ManagementApiKey);
        return request;
    }

    /// <summary>Both instances have checked (and so cached) the session: revocation must beat the cache.</summary>
    private async Task WarmAsync(TestSession session)
    {
        Assert.Equal(HttpStatusCode.OK, (await _a.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _b.Public.SendAsync(session.Get("/orders/1"))).StatusCode);
    }

    /// <summary>
    /// The bound is the gateway's promise, not the machine's speed: every request to B that <em>starts</em> one bound after
    /// the revocation answered must be refused. Requests started earlier may still pass (B's local cache may trust the
    /// session that long), so a slow moment on a shared machine delays the verdict but cannot fake or fail it.
    /// </summary>
    private async Task AssertEndsOnBWithinBoundAsync(TestSession session, long revokedAt)
    {
        while (true)
        {
            var startedAfter = Stopwatch.GetElapsedTime(revokedAt);
            var status = (await _b.Public.SendAsync(session.Get("/orders/1"))).StatusCode;
            if (status != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, status);
                break;
            }

            Assert.True(startedAfter < RevocationBound, $"a request started {startedAfter} after the revocation still passed on the other instance");
            await Task.Delay(20);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _b.Public.SendAsync(session.Get("/auth/session"))).StatusCode);
    }

    public abstract class Fixture(string redis) : IAsyncLifetime
    {
        private TestDestination _destination = null!;

        public GatewayInstance A { get; private set; } = null!;

        public GatewayInstance B { get; private set; } = null!;

        private string _database = null!;

        public async Task InitializeAsync()
        {
            _destination = await TestDestination.StartAsync();
            _database = await TestServers.CreateMySqlDatabaseAsync();
            var shared = new Dictionary<string, string?>
            {
                ["Storage:Relational:ConnectionString"] = _database,
                ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
                ["Storage:Ephemeral:Redis"] = redis,
            };
            var yarp = YarpJson.Build(_destination.Url, new TestRoute("orders", "/orders/{**rest}", "required"));
            A = await GatewayInstance.StartAsync(yarp, shared);
            B = await GatewayInstance.StartAsync(yarp, shared);
        }

        public async Task DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await _destination.DisposeAsync();
            await TestServers.DropMySqlDatabaseAsync(_database);
        }
    }

    public sealed class OnSingleNode() : Fixture(TestServers.Redis(RedisTopology.SingleNode));

    public sealed class OnCluster() : Fixture(TestServers.Redis(RedisTopology.Cluster));

    public sealed class OnSentinel() : Fixture(TestServers.Redis(RedisTopology.Sentinel));
}

public sealed class SessionRevocationOnOneRedisTests(SessionRevocationTests.OnSingleNode fixture)
    : SessionRevocationTests(fixture), IClassFixture<SessionRevocationTests.OnSingleNode>;

public sealed class SessionRevocationOnRedisClusterTests(SessionRevocationTests.OnCluster fixture)
    : SessionRevocationTests(fixture), IClassFixture<SessionRevocationTests.OnCluster>;

public sealed class SessionRevocationOnRedisSentinelTests(SessionRevocationTests.OnSentinel fixture)
    : SessionRevocationTests(fixture), IClassFixture<SessionRevocationTests.OnSentinel>;
