using System.Net;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

public sealed class RoutePolicyTests(RoutePolicyTests.Fixture fixture) : IClassFixture<RoutePolicyTests.Fixture>
{
    private const string LoginPath = "/auth/wechat/oa/start?app=oa";

    private readonly TestDestination _destination = fixture.Destination;
    private readonly GatewayInstance _gateway = fixture.Gateway;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wgs1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer wgs1.1.forged")]
    public async Task RequiredRouteWithoutAValidSessionIs401JsonAndNeverForwarded(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/required/orders");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var before = Count();
        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await ProxyRoutingTests.ErrorCodeAsync(response));
        Assert.Equal(before, Count());
    }

    [Theory]
    [InlineData("navigate", "text/html,application/xhtml+xml")]
    [InlineData(null, "text/html,application/xhtml+xml,*/*;q=0.8")]
    public async Task BrowserNavigationToARequiredRouteIsRedirectedIntoItsLoginFlowWithTheReturnUrl(string? fetchMode, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/login-required/orders/42?tab=paid&name=%E5%B0%8F");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (fetchMode is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", fetchMode);
        }

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(
            LoginPath + "&returnUrl=" + Uri.EscapeDataString("/login-required/orders/42?tab=paid&name=%E5%B0%8F"),
            response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("GET", "cors", "text/html", null)]
    [InlineData("GET", null, "text/html", "XMLHttpRequest")]
    [InlineData("GET", null, "application/json", null)]
    [InlineData("POST", "navigate", "text/html", null)]
    public async Task ApiAndXhrRequestsToARequiredRouteWithALoginPathGet401NotARedirect(string method, string? fetchMode, string accept, string? requestedWith)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/login-required/orders");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (fetchMode is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", fetchMode);
        }

        if (requestedWith is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Requested-With", requestedWith);
        }

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await ProxyRoutingTests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task BrowserNavigationToARequiredRouteWithoutALoginPathIs401()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/required/orders");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "navigate");

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(SessionTransport.Cookie)]
    [InlineData(SessionTransport.Bearer)]
    public async Task RequiredRouteWithASessionIsForwarded(SessionTransport transport)
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), transport);

        var response = await _gateway.Public.SendAsync(session.Get("/required/orders"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(session.Identity.UnionId?.Value, Assert.Single(Last().Headers["X-Union-Id"]));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("optional")]
    [InlineData("required")]
    public async Task TheGatewaySessionCookieIsRemovedAndOtherCookiesPass(string route)
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/{route}/x");
        request.Headers.Add("Cookie", $"theme=dark; {SessionOptions.DefaultCookieName}={session.Token}; lang=zh");

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Last();
        Assert.Equal("theme=dark; lang=zh", Assert.Single(received.Headers["Cookie"]));
        Assert.DoesNotContain(session.Token, string.Join('\n', received.Headers.SelectMany(h => h.Value)));
    }

    [Fact]
    public async Task TheSessionCookieIsRemovedWhateverTheCaseOfItsName()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/anonymous/x");
        request.Headers.Add("Cookie", "__HOST-WGW-SESSION=a; theme=dark; __host-wgw-session=b");

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("theme=dark", Assert.Single(Last().Headers["Cookie"]));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("optional")]
    [InlineData("required")]
    public async Task TheGatewayBearerTokenIsNeverForwarded(string route)
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var response = await _gateway.Public.SendAsync(session.Get($"/{route}/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Last();
        Assert.False(received.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain(session.Token, string.Join('\n', received.Headers.SelectMany(h => h.Value)));
    }

    [Fact]
    public async Task ADownstreamsOwnAuthorizationHeaderPassesUntouched()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/optional/x");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer downstream-issued-token");

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer downstream-issued-token", Assert.Single(Last().Headers["Authorization"]));
    }

    [Fact]
    public async Task OptionalRouteWithoutASessionIsForwardedWithoutIdentity()
    {
        var response = await _gateway.Public.GetAsync("/optional/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(Last().Headers.ContainsKey("X-Union-Id"));
        Assert.False(Last().Headers.ContainsKey("X-Union-Id-Assertion"));
    }

    [Fact]
    public async Task AnonymousRouteNeverGetsIdentityEvenWithAValidSession()
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var response = await _gateway.Public.SendAsync(session.Get("/anonymous/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Last().Headers.Keys, name => name.StartsWith("X-Union-Id", StringComparison.OrdinalIgnoreCase) || name == "X-Person-Id");
    }

    [Fact]
    public async Task ARouteWithTheOlderMetadataAuthPolicyKeyKeepsItsMeaning()
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        var navigation = new HttpRequestMessage(HttpMethod.Get, "/legacy-required/orders");
        navigation.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "navigate");

        var refused = await _gateway.Public.GetAsync("/legacy-required/orders");
        var redirected = await _gateway.Public.SendAsync(navigation);
        var admitted = await _gateway.Public.SendAsync(session.Get("/legacy-required/orders"));
        Assert.Equal(session.Identity.UnionId?.Value, Assert.Single(Last().Headers["X-Union-Id"]));
        var anonymous = await _gateway.Public.SendAsync(session.Get("/legacy-anonymous/x"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.False(Last().Headers.ContainsKey("X-Union-Id"));
    }

    [Fact]
    public async Task TheRouteTableShowsEachRoutesAuthorizationPolicyWhicheverKeyDeclaredIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_gateway/routes");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayInstance.ManagementApiKey);

        var routes = System.Text.Json.JsonDocument.Parse(await (await _gateway.Management.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        var legacy = routes.EnumerateArray().Single(r => r.GetProperty("routeId").GetString() == "legacy-required");
        Assert.Equal("required", legacy.GetProperty("authorizationPolicy").GetString());
    }

    private int Count()
    {
        lock (_destination.Received)
        {
            return _destination.Received.Count;
        }
    }

    private HttpRequestRecord Last()
    {
        lock (_destination.Received)
        {
            return _destination.Received[^1];
        }
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public TestDestination Destination { get; private set; } = null!;

        public GatewayInstance Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Destination = await TestDestination.StartAsync();
            Gateway = await GatewayInstance.StartAsync(YarpJson.Build(Destination.Url,
                new TestRoute("anonymous", "/anonymous/{**rest}", "anonymous"),
                new TestRoute("optional", "/optional/{**rest}", "optional"),
                new TestRoute("required", "/required/{**rest}", "required"),
                new TestRoute("login-required", "/login-required/{**rest}", "required", LoginPath: LoginPath),
                new TestRoute("legacy-required", "/legacy-required/{**rest}", Policy: null, LoginPath: LoginPath, LegacyPolicy: "required"),
                new TestRoute("legacy-anonymous", "/legacy-anonymous/{**rest}", Policy: null, LegacyPolicy: "anonymous")));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Destination.DisposeAsync();
        }
    }
}
