using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

/// <summary>
/// docs/security.md §1: a client sends the headers the gateway injects, under every spelling a downstream stack might fold
/// into the same name. The destination must only ever see the gateway's values, or nothing.
/// </summary>
public sealed class IdentityHeaderSpoofingTests(IdentityHeaderSpoofingTests.Fixture fixture) : IClassFixture<IdentityHeaderSpoofingTests.Fixture>
{
    private const string Spoofed = "spoofed-value";

    // The destination's view, normalised independently of the gateway's code: what PHP/CGI stacks would read.
    private static readonly string[] InjectedNames = ["x-union-id", "x-person-id", "x-openid", "x-appid", "x-legacy-user-id", "x-union-id-assertion"];

    private readonly TestDestination _destination = fixture.Destination;
    private readonly GatewayInstance _gateway = fixture.Gateway;
    private readonly TestSession _session = fixture.Session;

    public static TheoryData<string, string> Variants()
    {
        var data = new TheoryData<string, string>();
        string[] names =
        [
            "X-Union-Id", "x-union-id", "X-UNION-ID", "X_Union_Id", "x_union-id", "X-Union_Id",
            "X-Person-Id", "x_person_id", "X-OpenId", "X_OPENID", "X-AppId", "x_appid", "X-Legacy-User-Id", "X_Legacy_User_Id",
            "X-Union-Id-Assertion", "x_union_id_assertion", "X-Union-Id-Anything", "X_Union_Id_" + new string('x', 300),
        ];
        foreach (var scenario in new[] { "anonymous", "anonymous+session", "optional", "optional+session", "required+session" })
        {
            foreach (var name in names)
            {
                data.Add(scenario, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task SpoofedIdentityHeaderNeverReachesTheDestination(string scenario, string headerName)
    {
        var withSession = scenario.EndsWith("+session", StringComparison.Ordinal);
        var route = scenario.Split('+')[0];
        var request = new HttpRequestMessage(HttpMethod.Get, $"/{route}/x");
        request.Headers.TryAddWithoutValidation(headerName, Spoofed);
        request.Headers.TryAddWithoutValidation(headerName, "second-" + Spoofed);
        if (withSession)
        {
            _session.Present(request);
        }

        var response = await _gateway.Public.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertOnlyGatewayIdentity(Last(), withSession && route != "anonymous" ? _session : null);
    }

    [Theory]
    [InlineData("anonymous", false)]
    [InlineData("optional", false)]
    [InlineData("optional", true)]
    [InlineData("required", true)]
    public async Task DuplicateAndCommaJoinedHeaderLinesOnTheWireAreAllStripped(string route, bool withSession)
    {
        var lines = new StringBuilder()
            .Append($"GET /{route}/raw HTTP/1.1\r\nHost: {_gateway.PublicUrl.Authority}\r\n")
            .Append($"X-Union-Id: {Spoofed}-1\r\nX-Union-Id: {Spoofed}-2\r\nx_union_id: {Spoofed}-3\r\nX-UNION-ID: {Spoofed}-4, {Spoofed}-5\r\n")
            .Append($"X-Person-Id: {Spoofed}\r\nX_Person_Id: {Spoofed}\r\nX-Union-Id-Assertion: a.b.c\r\nX-Union-Id-Assertion: d.e.f\r\n");
        if (withSession)
        {
            lines.Append($"Authorization: Bearer {_session.Token}\r\n");
        }

        lines.Append("Connection: close\r\n\r\n");

        var status = await SendRawAsync(lines.ToString());

        Assert.StartsWith("HTTP/1.1 200", status);
        AssertOnlyGatewayIdentity(Last(), withSession && route != "anonymous" ? _session : null);
    }

    [Fact]
    public async Task HeaderAddedByARouteTransformUnderAnIdentityNameIsStrippedToo()
    {
        var yarp = System.Text.Json.Nodes.JsonNode.Parse(YarpJson.Build(_destination.Url, new TestRoute("anonymous", "/anonymous/{**rest}")))!;
        yarp["ReverseProxy"]!["Routes"]!["anonymous"]!["Transforms"] = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["RequestHeader"] = "X-Union-Id", ["Set"] = Spoofed });
        await using var gateway = await GatewayInstance.StartAsync(yarp.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/anonymous/x")).StatusCode);

        AssertOnlyGatewayIdentity(Last(), expected: null);
    }

    private static void AssertOnlyGatewayIdentity(HttpRequestRecord received, TestSession? expected)
    {
        foreach (var (name, values) in received.Headers)
        {
            var normalised = name.Replace('_', '-').ToLowerInvariant();
            if (!InjectedNames.Contains(normalised) && !normalised.StartsWith("x-union-id", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.True(expected is not null, $"the destination received {name}: {string.Join(", ", values)} without a session");
            Assert.DoesNotContain(values, value => value is not null && value.Contains(Spoofed, StringComparison.Ordinal));
            Assert.Contains(name, new[] { "X-Union-Id", "X-Person-Id", "X-OpenId", "X-AppId", "X-Legacy-User-Id", "X-Union-Id-Assertion" });
            Assert.Single(values);
        }

        if (expected is not null)
        {
            Assert.Equal(expected.Identity.UnionId?.Value, Assert.Single(received.Headers["X-Union-Id"]));
            Assert.Equal(expected.Identity.PersonId.ToString(), Assert.Single(received.Headers["X-Person-Id"]));
            Assert.Equal(expected.Identity.OpenId?.Value, Assert.Single(received.Headers["X-OpenId"]));
            Assert.Equal(expected.Identity.AppId?.Value, Assert.Single(received.Headers["X-AppId"]));
            Assert.Equal(3, Assert.Single(received.Headers["X-Union-Id-Assertion"])!.Split('.').Length);
        }
    }

    private HttpRequestRecord Last()
    {
        lock (_destination.Received)
        {
            return _destination.Received[^1];
        }
    }

    private async Task<string> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _gateway.PublicUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync() ?? "";
        await reader.ReadToEndAsync();
        return status;
    }

    /// <summary>One gateway for the whole matrix; each test reads the last request the destination received.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public TestDestination Destination { get; private set; } = null!;

        public GatewayInstance Gateway { get; private set; } = null!;

        public TestSession Session { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Destination = await TestDestination.StartAsync();
            Gateway = await GatewayInstance.StartAsync(YarpJson.Build(Destination.Url,
                new TestRoute("anonymous", "/anonymous/{**rest}", "anonymous"),
                new TestRoute("optional", "/optional/{**rest}", "optional"),
                new TestRoute("required", "/required/{**rest}", "required")));
            Session = await GatewaySessions.IssueAsync(Gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Destination.DisposeAsync();
        }
    }
}
