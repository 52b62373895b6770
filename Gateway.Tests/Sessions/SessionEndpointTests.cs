using System.Net;
using System.Text.Json;
using Gateway.Auth.Sessions;
using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sessions;

public sealed class SessionEndpointTests : IAsyncLifetime
{
    private TestDestination _destination = null!;
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        _destination = await TestDestination.StartAsync();
        _gateway = await GatewayInstance.StartAsync(YarpJson.Build(_destination.Url, new TestRoute("api", "/api/{**rest}", "required")));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _destination.DisposeAsync();
    }

    [Theory]
    [InlineData(SessionTransport.Cookie, "cookie")]
    [InlineData(SessionTransport.Bearer, "bearer")]
    public async Task CurrentSessionShowsWhoIsSignedInAndNoSecret(SessionTransport transport, string transportName)
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), transport);

        var response = await _gateway.Public.SendAsync(session.Get("/auth/session"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(session.Token, body);
        Assert.DoesNotContain(SessionToken.Hash(session.Token), body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(session.Identity.PersonId.Value, root.GetProperty("personId").GetInt64());
        Assert.Equal(session.Identity.UnionId?.Value, root.GetProperty("unionId").GetString());
        Assert.Equal(session.Identity.AppId.Value, root.GetProperty("appId").GetString());
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
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/session");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await ProxyRoutingTests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task CookieIsHostPrefixedHttpOnlySecureLaxAndScopedToTheWholeSite()
    {
        var login = GatewaySessions.NewMiniProgramLogin();
        var session = await GatewaySessions.IssueAsync(_gateway, login, SessionTransport.Cookie);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = _gateway.Services };
        await ((ISessionIssuer)_gateway.Services.GetService(typeof(ISessionIssuer))!).IssueAsync(context, session.Identity, SessionTransport.Cookie);

        var setCookie = context.Response.Headers.SetCookie.ToString();

        Assert.StartsWith("__Host-wgw-session=wgs1.", setCookie);
        Assert.Contains("path=/", setCookie);
        Assert.Contains("secure", setCookie);
        Assert.Contains("samesite=lax", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.DoesNotContain("domain", setCookie);
    }

    [Fact]
    public async Task EveryLoginGetsANewTokenAndEndsTheSessionTheRequestCameWith()
    {
        var first = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = _gateway.Services };
        context.Request.Headers.Cookie = $"{SessionOptions.DefaultCookieName}={first.Token}";

        var second = await ((ISessionIssuer)_gateway.Services.GetService(typeof(ISessionIssuer))!).IssueAsync(context, first.Identity, SessionTransport.Cookie);

        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.Public.SendAsync(first.Get("/auth/session"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Public.SendAsync((first with { Issued = second }).Get("/auth/session"))).StatusCode);
    }

    [Fact]
    public async Task TokensAreLongRandomAndOnlyTheirHashIsAStoreKey()
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        Assert.True(SessionToken.TryParse(session.Token, out var personId));
        Assert.Equal(session.Identity.PersonId.Value, personId);
        Assert.Equal(43, session.Token.Split('.')[2].Length);
        var store = (Gateway.Auth.Storage.Ephemeral.IEphemeralStore)_gateway.Services.GetService(typeof(Gateway.Auth.Storage.Ephemeral.IEphemeralStore))!;
        Assert.Null(await store.GetAsync(SessionStore.SessionKey(personId, session.Token)));
        var stored = await store.GetAsync(SessionStore.SessionKey(personId, SessionToken.Hash(session.Token)));
        Assert.NotNull(stored);
        Assert.DoesNotContain(session.Token, stored);
    }
}
