using System.Net;
using System.Text.Json;
using Gateway.Auth.Sessions;
using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sessions;

/// <summary>
/// The session endpoint, cookie and token rotation. The theories over <see cref="TestServers.RedisTopologies"/> (the
/// session read back, rotation ending the old session, the store key) run on each Redis deployment the gateway
/// supports; the answers that need no stored session run on the single node.
/// </summary>
public sealed class SessionEndpointTests(SessionEndpointTests.Gateways gateways) : IClassFixture<SessionEndpointTests.Gateways>
{
    public static TheoryData<RedisTopology, SessionTransport, string> TopologiesAndTransports
    {
        get
        {
            var data = new TheoryData<RedisTopology, SessionTransport, string>();
            foreach (var redis in new[] { RedisTopology.SingleNode, RedisTopology.Cluster, RedisTopology.Sentinel })
            {
                data.Add(redis, SessionTransport.Cookie, "cookie");
                data.Add(redis, SessionTransport.Bearer, "bearer");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TopologiesAndTransports))]
    public async Task CurrentSessionShowsWhoIsSignedInAndNoSecret(RedisTopology redis, SessionTransport transport, string transportName)
    {
        var gateway = await gateways.OnAsync(redis);
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), transport);

        var response = await gateway.Public.SendAsync(session.Get("/auth/session"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(session.Token, body);
        Assert.DoesNotContain(SessionToken.Hash(session.Token), body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(session.Identity.PersonId.Value, root.GetProperty("personId").GetInt64());
        Assert.Equal(session.Identity.UnionId?.Value, root.GetProperty("unionId").GetString());
        Assert.Equal(session.Identity.AppId?.Value, root.GetProperty("appId").GetString());
        Assert.Equal("mini_program", root.GetProperty("channel").GetString());
        Assert.Equal(transportName, root.GetProperty("transport").GetString());
        Assert.Equal(session.Issued.IdleExpiresAt, root.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wgs1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer not-a-gateway-token")]
    public async Task CurrentSessionWithoutAValidSessionIs401Json(string? authorization)
    {
        var gateway = await gateways.OnAsync(RedisTopology.SingleNode);
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/session");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await ProxyRoutingTests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task CookieIsHostPrefixedHttpOnlySecureLaxAndScopedToTheWholeSite()
    {
        var gateway = await gateways.OnAsync(RedisTopology.SingleNode);
        var login = GatewaySessions.NewMiniProgramLogin();
        var session = await GatewaySessions.IssueAsync(gateway, login, SessionTransport.Cookie);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = gateway.Services };
        await ((ISessionIssuer)gateway.Services.GetService(typeof(ISessionIssuer))!).IssueAsync(context, session.Identity, SessionTransport.Cookie);

        var setCookie = context.Response.Headers.SetCookie.ToString();

        Assert.StartsWith("__Host-wgw-session=wgs1.", setCookie);
        Assert.Contains("path=/", setCookie);
        Assert.Contains("secure", setCookie);
        Assert.Contains("samesite=lax", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.DoesNotContain("domain", setCookie);
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task EveryLoginGetsANewTokenAndEndsTheSessionTheRequestCameWith(RedisTopology redis)
    {
        var gateway = await gateways.OnAsync(redis);
        var first = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = gateway.Services };
        context.Request.Headers.Cookie = $"{SessionOptions.DefaultCookieName}={first.Token}";

        var second = await ((ISessionIssuer)gateway.Services.GetService(typeof(ISessionIssuer))!).IssueAsync(context, first.Identity, SessionTransport.Cookie);

        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(first.Get("/auth/session"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync((first with { Issued = second }).Get("/auth/session"))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task TokensAreLongRandomAndOnlyTheirHashIsAStoreKey(RedisTopology redis)
    {
        var gateway = await gateways.OnAsync(redis);
        var session = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        Assert.True(SessionToken.TryParse(session.Token, out var personId));
        Assert.Equal(session.Identity.PersonId.Value, personId);
        Assert.Equal(43, session.Token.Split('.')[2].Length);
        var store = (Gateway.Auth.Storage.Ephemeral.IEphemeralStore)gateway.Services.GetService(typeof(Gateway.Auth.Storage.Ephemeral.IEphemeralStore))!;
        Assert.Null(await store.GetAsync(SessionStore.SessionKey(personId, session.Token)));
        var stored = await store.GetAsync(SessionStore.SessionKey(personId, SessionToken.Hash(session.Token)));
        Assert.NotNull(stored);
        Assert.DoesNotContain(session.Token, stored);
    }

    /// <summary>One gateway per Redis deployment, started on first use and shared by the class's tests (each signs a new person in).</summary>
    public sealed class Gateways : IAsyncLifetime
    {
        private readonly PerRedisTopology<GatewayInstance> _gateways;
        private TestDestination _destination = null!;

        public Gateways() => _gateways = new(redis => GatewayInstance.StartAsync(
            YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}", "required")),
            new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = TestServers.Redis(redis) }));

        public async Task InitializeAsync() => _destination = await TestDestination.StartAsync();

        public Task<GatewayInstance> OnAsync(RedisTopology redis) => _gateways.OnAsync(redis);

        public async Task DisposeAsync()
        {
            await _gateways.DisposeAsync();
            await _destination.DisposeAsync();
        }
    }
}
