using System.Net;
using System.Security.Cryptography;
using Gateway.Auth.Signing;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Signing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Login;

/// <summary>
/// A session from each kind of login opens a required route, and the destination can verify who it is. The Mini
/// Program and Official Account theories run on each of <see cref="TestServers.RedisTopologies"/>: the proxy's session
/// check reads the session the login wrote to that deployment.
/// </summary>
public sealed class ProxiedSessionTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    /// <summary>What the destination would do: verify the assertion for its audience and the exact request it got.</summary>
    private static VerifiedIdentityAssertion Verify(HttpRequestRecord received)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(TestKeys.Es256PrivateKeyPem);
        var hs256 = Hs256KeyDerivation.DeriveAudienceKey(Convert.FromBase64String(TestKeys.ActiveHs256Secret), "backend", TestKeys.ActiveHs256Id);
        using var verifier = new IdentityAssertionVerifier(
            new IdentityAssertionOptions
            {
                Audience = "backend",
                Hs256Keys = { [TestKeys.ActiveHs256Id] = Convert.ToBase64String(hs256) },
                Es256Jwks = JsonWebKeySet.Write([(TestKeys.Es256Id, ecdsa)]),
            },
            TimeProvider.System);
        var headers = new HeaderDictionary();
        foreach (var (name, values) in received.Headers)
        {
            headers[name] = values;
        }

        var result = verifier.Verify(headers, received.Method, received.Path + received.Query);
        Assert.True(result.Succeeded, result.FailureReason);
        return result.Identity;
    }

    private Task<HttpRequestRecord> GetThroughGatewayAsync(Action<HttpRequestMessage> present) => GetThroughGatewayAsync(_bed, present);

    private static async Task<HttpRequestRecord> GetThroughGatewayAsync(LoginTestbed bed, Action<HttpRequestMessage> present)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders?page=1");
        present(request);
        var response = await bed.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await HttpRequestRecord.ReadAsync(response);
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task AMiniProgramBearerSessionReachesARequiredRouteWithAVerifiableUnionId(RedisTopology redis)
    {
        var bed = await fixture.OnAsync(redis);
        var (_, login) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, "xiaoming");
        var token = login.GetProperty("token").GetString()!;

        var received = await GetThroughGatewayAsync(bed, r => r.Headers.Authorization = new("Bearer", token));

        var identity = Verify(received);
        Assert.Equal(bed.UnionIdOf(LoginTestbed.MiniProgram, "xiaoming"), identity.UnionId?.Value);
        Assert.Equal(login.GetProperty("personId").GetInt64().ToString(), identity.PersonId?.ToString());
        Assert.Equal(bed.UnionIdOf(LoginTestbed.MiniProgram, "xiaoming"), received.Headers[IdentityHeaders.UnionId].Single());
        Assert.False(received.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task ATwoStepMiniProgramSessionCarriesTheDecryptedUnionIdDownstream()
    {
        var login = await _bed.TwoStepLoginAsync("twostep", LoginTestbed.TwoStep, "alice");
        var token = login.GetProperty("token").GetString()!;

        var received = await GetThroughGatewayAsync(r => r.Headers.Authorization = new("Bearer", token));

        Assert.Equal(_bed.UnionIdOf(LoginTestbed.TwoStep, "alice"), Verify(received).UnionId?.Value);
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task AnOfficialAccountCookieSessionReachesARequiredRouteWithAVerifiableUnionId(RedisTopology redis)
    {
        var bed = await fixture.OnAsync(redis);
        var browser = bed.NewBrowser();
        await browser.LogInAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo", "alice");

        var received = await GetThroughGatewayAsync(bed, r => r.Headers.Add("Cookie", $"{Gateway.Auth.Sessions.SessionOptions.DefaultCookieName}={browser.SessionToken}"));

        Assert.Equal(bed.UnionIdOf(LoginTestbed.OfficialAccount, "alice"), Verify(received).UnionId?.Value);
        Assert.DoesNotContain(browser.SessionToken!, string.Join(";", received.Headers.SelectMany(h => h.Value)));
    }

    [Fact]
    public async Task ABrowserSentFromARequiredPageToLogInComesBackToThatPageSignedIn()
    {
        var browser = _bed.NewBrowser();
        var page = await browser.GetAsync("/pages/orders/7?tab=paid", r => r.Headers.Accept.ParseAdd("text/html"));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);

        var callback = await browser.LogInAsync(page.Headers.Location!.OriginalString, "xiaoming");
        Assert.Equal("/pages/orders/7?tab=paid", callback.Headers.Location!.OriginalString);
        var again = await browser.GetAsync(callback.Headers.Location!.OriginalString, r => r.Headers.Accept.ParseAdd("text/html"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var received = await HttpRequestRecord.ReadAsync(again);
        Assert.Equal(_bed.UnionIdOf(LoginTestbed.OfficialAccount, "xiaoming"), Verify(received).UnionId?.Value);
    }

    [Fact]
    public async Task AnAppSessionReachesARequiredRouteAndASpoofedUnionIdIsReplaced()
    {
        var (_, login) = await _bed.PostAsync("/auth/wechat/app/app/login", new { code = _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, "xiaohong") });
        var token = login.GetProperty("token").GetString()!;

        var received = await GetThroughGatewayAsync(r =>
        {
            r.Headers.Authorization = new("Bearer", token);
            r.Headers.Add("X-Union-Id", "oU_spoofed");
        });

        Assert.Equal(_bed.UnionIdOf(LoginTestbed.MobileApp, "xiaohong"), Verify(received).UnionId?.Value);
        Assert.DoesNotContain("oU_spoofed", received.Headers[IdentityHeaders.UnionId]);
    }
}
