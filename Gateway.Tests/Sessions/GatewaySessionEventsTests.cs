using System.Net;
using System.Security.Claims;
using Gateway.Auth.Sessions;
using Gateway.Auth.Sessions.Authentication;
using Gateway.IdentityAssertions;
using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Sessions;

/// <summary>
/// GatewaySessionEvents as an application embedding the gateway registers them: claims an event adds serve the
/// route policies, an event can refuse a session, and what downstream is told always comes from the session the
/// store confirmed, whatever claims an event adds (docs/sessions.md).
/// </summary>
public sealed class GatewaySessionEventsTests(GatewaySessionEventsTests.Fixture fixture) : IClassFixture<GatewaySessionEventsTests.Fixture>
{
    private const string ForgedUnionId = "oUforged0000000000000000000001";

    private readonly GatewayInstance _gateway = fixture.Gateway;

    [Fact]
    public async Task ARoleAnEventAddsAdmitsToARouteThatRequiresIt()
    {
        var vip = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(Fixture.VipUnionId), SessionTransport.Bearer);
        var other = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        Assert.Equal(HttpStatusCode.OK, (await _gateway.Public.SendAsync(vip.Get("/vip/x"))).StatusCode);
        var refused = await _gateway.Public.SendAsync(other.Get("/vip/x"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", await ProxyRoutingTests.ErrorCodeAsync(refused));
    }

    [Fact]
    public async Task ClaimsAnEventAddsNeverReachTheIdentityHeaders()
    {
        var login = GatewaySessions.NewMiniProgramLogin();
        var session = await GatewaySessions.IssueAsync(_gateway, login, SessionTransport.Bearer);

        var echoed = await HttpRequestRecord.ReadAsync(await _gateway.Public.SendAsync(session.Get("/api/x")));

        Assert.Equal(login.UnionId!.Value.Value, Assert.Single(echoed.Headers[IdentityHeaders.UnionId]));
        Assert.Equal(session.Identity.PersonId.ToString(), Assert.Single(echoed.Headers[IdentityHeaders.PersonId]));
        Assert.DoesNotContain(echoed.Headers.Values.SelectMany(values => values), value => value is not null && value.Contains(ForgedUnionId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASessionAnEventRefusesIsChallengedLikeAMissingOne()
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(Fixture.RefusedUnionId), SessionTransport.Bearer);

        var response = await _gateway.Public.SendAsync(session.Get("/api/x"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await ProxyRoutingTests.ErrorCodeAsync(response));
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public const string VipUnionId = "oUvip0000000000000000000000001";

        public const string RefusedUnionId = "oUrefused000000000000000000001";

        public TestDestination Destination { get; private set; } = null!;

        public GatewayInstance Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Destination = await TestDestination.StartAsync();
            Gateway = await GatewayInstance.StartAsync(
                YarpJson.Build(Destination.Url,
                    new TestRoute("api", "/api/{**rest}", "required"),
                    new TestRoute("vip", "/vip/{**rest}", "vip")),
                new Dictionary<string, string?> { ["Gateway:Authorization:Policies:vip:RequireRoles:0"] = "vip" },
                services: services => services.Configure<GatewaySessionAuthenticationOptions>(GatewaySessionDefaults.AuthenticationScheme, options =>
                    options.Events.OnValidated = context =>
                    {
                        var identity = (ClaimsIdentity)context.Principal!.Identity!;
                        // An application's own claims, and a unionid claim replaced by another person's.
                        identity.TryRemoveClaim(identity.FindFirst(GatewayClaimTypes.UnionId));
                        identity.AddClaim(new Claim(GatewayClaimTypes.UnionId, ForgedUnionId));
                        if (context.Session.UnionId?.Value == VipUnionId)
                        {
                            identity.AddClaim(new Claim(ClaimTypes.Role, "vip"));
                        }

                        if (context.Session.UnionId?.Value == RefusedUnionId)
                        {
                            context.Fail("refused by the application");
                        }

                        return Task.CompletedTask;
                    }));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Destination.DisposeAsync();
        }
    }
}
