using System.Net;
using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Forwarding;

/// <summary>
/// Policies declared in configuration (Gateway:Authorization) and named by a route's AuthorizationPolicy: no code,
/// ASP.NET Core authorization decides, the gateway-session scheme answers 403 JSON to a signed-in user who falls short.
/// </summary>
public sealed class NamedPolicyTests(NamedPolicyTests.Fixture fixture) : IClassFixture<NamedPolicyTests.Fixture>
{
    private const string StaffUnionId = "oUstaff00000000000000000000001";

    private readonly GatewayInstance _gateway = fixture.Gateway;

    [Fact]
    public async Task AMiniProgramOnlyRouteRefusesAnOfficialAccountSessionWith403Json()
    {
        var session = await GatewaySessions.IssueAsync(_gateway, OfficialAccountLogin(), SessionTransport.Cookie);

        var response = await _gateway.Public.SendAsync(session.Get("/mp-only/x"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", await ProxyRoutingTests.ErrorCodeAsync(response));
        lock (fixture.Destination.Received)
        {
            Assert.DoesNotContain(fixture.Destination.Received, r => r.Path == "/mp-only/x");
        }
    }

    [Fact]
    public async Task AMiniProgramOnlyRouteAdmitsAMiniProgramSession()
    {
        var session = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var response = await _gateway.Public.SendAsync(session.Get("/mp-only/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ANamedPolicyStillChallengesACallerWithoutASession()
    {
        var response = await _gateway.Public.GetAsync("/mp-only/x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("session_required", await ProxyRoutingTests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task AVerifiedPhoneRouteRefusesAPersonWithoutAPhoneNumberAndAdmitsOneWithIt()
    {
        var without = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        var login = GatewaySessions.NewMiniProgramLogin();
        var person = await _gateway.Services.GetRequiredService<IIdentityResolver>().ResolveAsync(login);
        await _gateway.Services.GetRequiredService<IPersonDirectory>().SetPhoneAsync(person.PersonId.Value, "+8613800138000");
        var with = await GatewaySessions.IssueAsync(_gateway, login, SessionTransport.Bearer);

        var refused = await _gateway.Public.SendAsync(without.Get("/phone/x"));
        var admitted = await _gateway.Public.SendAsync(with.Get("/phone/x"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", await ProxyRoutingTests.ErrorCodeAsync(refused));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task AStaffRouteAdmitsOnlyPeopleTheRolesSettingNames()
    {
        var staff = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(StaffUnionId), SessionTransport.Bearer);
        var customer = await GatewaySessions.IssueAsync(_gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        var admitted = await _gateway.Public.SendAsync(staff.Get("/staff/x"));
        var refused = await _gateway.Public.SendAsync(customer.Get("/staff/x"));

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", await ProxyRoutingTests.ErrorCodeAsync(refused));
    }

    [Fact]
    public async Task ARoleCanAlsoBeGivenByPersonId()
    {
        var login = GatewaySessions.NewMiniProgramLogin();
        var person = await _gateway.Services.GetRequiredService<IIdentityResolver>().ResolveAsync(login);
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(fixture.Destination.Url, new TestRoute("staff", "/staff/{**rest}", "staff")),
            new Dictionary<string, string?>(Fixture.Policies)
            {
                ["Gateway:Authorization:Roles:staff:PersonIds:0"] = person.PersonId.ToString(),
                ["Storage:Relational:ConnectionString"] = _gateway.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Storage:Relational:ConnectionString"],
            });
        var session = await GatewaySessions.IssueAsync(gateway, login, SessionTransport.Bearer);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/staff/x"))).StatusCode);
    }

    private static LoginIdentity OfficialAccountLogin() =>
        new(new AppId("wxoa567890abcdef0"), new OpenId("oOA" + Guid.NewGuid().ToString("N")[..24]), new UnionId("oU" + Guid.NewGuid().ToString("N")[..26]), LoginChannel.OfficialAccount);

    public sealed class Fixture : IAsyncLifetime
    {
        public static readonly IReadOnlyDictionary<string, string?> Policies = new Dictionary<string, string?>
        {
            ["Gateway:Authorization:Policies:mini-program-only:RequireClaims:0:Type"] = "channel",
            ["Gateway:Authorization:Policies:mini-program-only:RequireClaims:0:Values:0"] = "mini_program",
            ["Gateway:Authorization:Policies:verified-phone:RequireClaims:0:Type"] = "phone_number_verified",
            ["Gateway:Authorization:Policies:staff:RequireRoles:0"] = "staff",
        };

        public TestDestination Destination { get; private set; } = null!;

        public GatewayInstance Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Destination = await TestDestination.StartAsync();
            Gateway = await GatewayInstance.StartAsync(
                YarpJson.Build(Destination.Url,
                    new TestRoute("mp-only", "/mp-only/{**rest}", "mini-program-only"),
                    new TestRoute("phone", "/phone/{**rest}", "verified-phone"),
                    new TestRoute("staff", "/staff/{**rest}", "staff")),
                new Dictionary<string, string?>(Policies) { ["Gateway:Authorization:Roles:staff:UnionIds:0"] = StaffUnionId });
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Destination.DisposeAsync();
        }
    }
}
