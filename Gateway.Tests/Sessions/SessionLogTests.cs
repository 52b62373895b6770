using System.Net;
using System.Net.Http.Headers;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Sessions;

/// <summary>docs/security.md §10: the logs of a whole session's life hold no token, no token hash and no signed assertion.</summary>
public sealed class SessionLogTests
{
    [Fact]
    public async Task NoSessionTokenHashOrAssertionAppearsInAnyLogLineOfIssueProxyAndLogout()
    {
        await using var destination = await TestDestination.StartAsync();
        var logs = new LogCapture();
        var secrets = new List<string>();
        await using (var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(destination.Url, new TestRoute("orders", "/orders/{**rest}", "required"), new TestRoute("open", "/open/{**rest}", "optional")),
            logs: logs))
        {
            var cookie = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Cookie);
            var bearer = await GatewaySessions.IssueAsync(gateway, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);
            secrets.AddRange([cookie.Token, bearer.Token, SessionToken.Hash(cookie.Token), SessionToken.Hash(bearer.Token)]);

            foreach (var session in new[] { cookie, bearer })
            {
                var response = await gateway.Public.SendAsync(session.Get("/orders/1?x=1"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                secrets.Add(Assert.Single(destination.Received[^1].Headers["X-Union-Id-Assertion"])!);
                Assert.Equal(HttpStatusCode.OK, (await gateway.Public.SendAsync(session.Get("/auth/session"))).StatusCode);
            }

            var forged = new HttpRequestMessage(HttpMethod.Get, "/orders/2");
            forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cookie.Token[..^4] + "AAAA");
            secrets.Add(cookie.Token[..^4] + "AAAA");
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(forged)).StatusCode);

            Assert.Equal(HttpStatusCode.NoContent, (await gateway.Public.SendAsync(cookie.Post("/auth/logout"))).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await gateway.Public.SendAsync(bearer.Post("/auth/logout-everywhere"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Public.SendAsync(cookie.Get("/orders/1"))).StatusCode);
        }

        Assert.Contains(logs.Lines, line => line.Contains("Session issued for person", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("revoked (logout everywhere)", StringComparison.Ordinal));
        foreach (var line in logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("wgs1.", line, StringComparison.Ordinal);
        }
    }
}
