using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Gateway.Auth.Signing;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>
/// A downstream service on Kestrel using the package's authentication scheme with ASP.NET Core authorization,
/// called the way the gateway calls it.
/// </summary>
public sealed class IdentityAssertionAuthenticationTests : IAsyncLifetime
{
    private readonly AssertionTestbed _testbed = Standard();
    private WebApplication? _downstream;

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(_testbed.Time);
        var seenTokenIds = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        builder.Services.AddAuthentication().AddGatewayIdentityAssertion(options =>
        {
            options.Audience = Orders;
            options.Hs256Keys[TestKeys.ActiveHs256Id] = AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);
            options.Es256Jwks = _testbed.Jwks;
            options.Events.OnAssertionValidated = context =>
            {
                // The service's own data: its legacy user legacy-77 is staff.
                if (context.Assertion.LegacyUserId == Alice.LegacyUserId)
                {
                    ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(ClaimTypes.Role, "staff"));
                }

                // A payment endpoint refuses a replayed assertion even within its lifetime.
                if (HttpMethods.IsPost(context.Request.Method) && !seenTokenIds.TryAdd(context.Assertion.TokenId, true))
                {
                    context.Fail(new IdentityAssertionException("replayed"));
                }

                return Task.CompletedTask;
            };
            options.Events.OnChallenge = async context =>
            {
                if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await context.Response.WriteAsync($"请通过网关访问（{context.FailureReason}, {(context.AuthenticateFailure as IdentityAssertionException)?.Reason}）");
                }
            };
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders/{**rest}", [Authorize] (HttpContext context) => new
        {
            unionId = context.GetVerifiedIdentity()?.UnionId?.Value,
            name = context.User.Identity?.Name,
            claims = context.User.Claims.ToDictionary(claim => claim.Type, claim => claim.Value),
        });
        app.MapGet("/admin", [Authorize(Roles = "orders-admin")] (HttpContext context) => new
        {
            roles = context.User.FindAll(IdentityAssertionClaimTypes.Role).Select(claim => claim.Value),
            claims = context.User.Claims.Where(claim => claim.Type != IdentityAssertionClaimTypes.Role).ToDictionary(claim => claim.Type, claim => claim.Value),
        });
        app.MapPost("/orders/pay", () => "paid").RequireAuthorization();
        app.MapGet("/staff", () => "staff only").RequireAuthorization(policy => policy.RequireRole("staff"));
        app.MapGet("/public/{**rest}", (HttpContext context) => new { authenticated = context.User.Identity?.IsAuthenticated ?? false });
        await app.StartAsync();
        _downstream = app;
    }

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public async Task AuthorizeEndpointAdmitsAValidAssertionWithItsIdentityAsUserAndFeature(string algorithm)
    {
        var (status, body) = await SendAsync(Request(OrderPath, _testbed.Sign(algorithm)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Alice.UnionId?.Value, body.GetProperty("unionId").GetString());
        Assert.Equal(Alice.UnionId?.Value, body.GetProperty("name").GetString());
        var claims = body.GetProperty("claims");
        Assert.Equal(Alice.UnionId?.Value, claims.GetProperty(IdentityAssertionClaimTypes.UnionId).GetString());
        Assert.Equal(Alice.PersonId?.ToString(), claims.GetProperty(IdentityAssertionClaimTypes.PersonId).GetString());
        Assert.Equal(Alice.OpenId?.Value, claims.GetProperty(IdentityAssertionClaimTypes.OpenId).GetString());
        Assert.Equal(Alice.AppId?.Value, claims.GetProperty(IdentityAssertionClaimTypes.AppId).GetString());
        Assert.Equal(Alice.Channel, claims.GetProperty(IdentityAssertionClaimTypes.Channel).GetString());
        Assert.Equal(Alice.LegacyUserId, claims.GetProperty(IdentityAssertionClaimTypes.LegacyUserId).GetString());
    }

    [Fact]
    public async Task WithoutUnionIdThePrincipalHasNoUnionIdClaimAndNoName()
    {
        var (status, body) = await SendAsync(Request(OrderPath, _testbed.Sign(AssertionFormat.Es256, identity: Alice with { UnionId = null })));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("claims").TryGetProperty(IdentityAssertionClaimTypes.UnionId, out _));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("name").ValueKind);
        Assert.Equal(Alice.OpenId?.Value, body.GetProperty("claims").GetProperty(IdentityAssertionClaimTypes.OpenId).GetString());
    }

    [Fact]
    public async Task PercentEncodedTargetIsVerifiedAsItArrivedOnTheWire()
    {
        using var client = Loopback.ClientFor(_downstream!);
        const string target = "/orders/a%2Fb/%E4%BD%A0?q=%20x&y=1";

        using var response = await client.SendAsync(Request(target, _testbed.Sign(AssertionFormat.Hs256, path: target)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AuthorizeEndpointAnswersARequestWithoutAssertion401Json()
    {
        var (status, body) = await SendAsync(Request(OrderPath, null));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("identity_assertion_required", body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ReplayedToAnotherPathIsAnswered401WithTheReason()
    {
        var (status, body) = await SendAsync(Request("/orders/43", _testbed.Sign(AssertionFormat.Hs256)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("identity_assertion_invalid", body.GetProperty("code").GetString());
        Assert.Equal(AssertionFailureReasons.WrongPath, body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AnInvalidAssertionIsRefusedEvenAtAnAnonymousEndpoint()
    {
        var (status, body) = await SendAsync(Request("/public/x", _testbed.Sign(AssertionFormat.Hs256)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(AssertionFailureReasons.WrongPath, body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AnonymousEndpointLetsARequestWithoutAssertionThroughAnonymously()
    {
        var (status, body) = await SendAsync(Request("/public/x", null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task AnonymousEndpointStillRefusesASpoofedUnionIdHeaderBesideAnAssertion()
    {
        const string target = "/public/x";
        var request = Request(target, _testbed.Sign(AssertionFormat.Es256, path: target, identity: Alice with { UnionId = null }));
        request.Headers.Add(IdentityHeaders.UnionId, "o6_someone_else");

        var (status, body) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(AssertionFailureReasons.HeaderMismatch, body.GetProperty("reason").GetString());
    }

    /// <summary>PHP and CGI read <c>X_Union_Id</c> as <c>X-Union-Id</c>: every such spelling is an unsigned identity header.</summary>
    [Theory]
    [InlineData("X-Union-Id")]
    [InlineData("x-union-id")]
    [InlineData("X_Union_Id")]
    [InlineData("x_union_id")]
    [InlineData("X_UNION-ID")]
    [InlineData("X-Union-Id-Extra")]
    [InlineData("X_Person_Id")]
    [InlineData("x_openid")]
    [InlineData("X_AppId")]
    [InlineData("X_Legacy_User_Id")]
    public async Task AnIdentityHeaderUnderAnySpellingWithoutAssertionIsRefusedEvenAtAnAnonymousEndpoint(string header)
    {
        var request = Request("/public/x", null);
        Assert.True(request.Headers.TryAddWithoutValidation(header, Alice.UnionId?.Value));

        var (status, body) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("identity_assertion_invalid", body.GetProperty("code").GetString());
        Assert.Equal(AssertionFailureReasons.HeaderMismatch, body.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("X_Union_Id")]
    [InlineData("x_union_id")]
    [InlineData("X_Person_Id")]
    public async Task AnIdentityHeaderVariantBesideAValidAssertionIsRefused(string header)
    {
        var request = Request(OrderPath, _testbed.Sign(AssertionFormat.Hs256));
        Assert.True(request.Headers.TryAddWithoutValidation(header, "o6_someone_else"));

        var (status, body) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(AssertionFailureReasons.HeaderMismatch, body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ARolePolicyAdmitsTheUserTheServiceMadeStaffAndAnswersOthers403Json()
    {
        using var client = Loopback.ClientFor(_downstream!);

        using var staff = await client.SendAsync(Request("/staff", _testbed.Sign(AssertionFormat.Hs256, path: "/staff")));
        using var other = await client.SendAsync(Request("/staff", _testbed.Sign(AssertionFormat.Hs256, path: "/staff", identity: Alice with { LegacyUserId = "legacy-78" })));
        var body = await other.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("forbidden", body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public async Task AnOidcPersonsAssertedRolesAdmitThemToARoleEndpointWithProviderSubjectAndEmailAsClaims(string algorithm)
    {
        var (status, body) = await SendAsync(Request("/admin", _testbed.Sign(algorithm, path: "/admin", identity: Olivia)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["staff", "orders-admin"], body.GetProperty("roles").EnumerateArray().Select(role => role.GetString()));
        var claims = body.GetProperty("claims");
        Assert.Equal(
            new Dictionary<string, string?>
            {
                [IdentityAssertionClaimTypes.PersonId] = "1002",
                [IdentityAssertionClaimTypes.Channel] = AssertionChannels.Oidc,
                [IdentityAssertionClaimTypes.Provider] = "corp",
                [IdentityAssertionClaimTypes.Subject] = "248289761001",
                [IdentityAssertionClaimTypes.Email] = "olivia@example.com",
            },
            claims.EnumerateObject().ToDictionary(claim => claim.Name, claim => claim.Value.GetString()));
    }

    [Fact]
    public async Task AnOidcPersonWithoutTheRoleIsAnswered403()
    {
        var (status, body) = await SendAsync(Request("/admin", _testbed.Sign(AssertionFormat.Hs256, path: "/admin", identity: Olivia with { Roles = ["staff"] })));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnApiClientTokenSignsInWithItsClientIdAndNoPersonClaims()
    {
        var (status, body) = await SendAsync(Request(OrderPath, _testbed.Sign(AssertionFormat.Hs256, identity: ReportingClient)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("name").ValueKind);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                [IdentityAssertionClaimTypes.Channel] = AssertionChannels.Client,
                [IdentityAssertionClaimTypes.Provider] = "corp",
                [IdentityAssertionClaimTypes.ClientId] = "reporting-batch",
            },
            body.GetProperty("claims").EnumerateObject().ToDictionary(claim => claim.Name, claim => claim.Value.GetString()));
    }

    [Fact]
    public async Task AClientTokenWithAPersonIdIsRefusedAsMalformed()
    {
        var (status, body) = await SendAsync(Request(OrderPath, _testbed.Sign(AssertionFormat.Hs256, identity: ReportingClient with { PersonId = new PersonId(1002) })));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(AssertionFailureReasons.Malformed, body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TheServiceCanRefuseAReplayedAssertionWithItsOwnReason()
    {
        using var client = Loopback.ClientFor(_downstream!);
        var assertion = _testbed.Sign(AssertionFormat.Hs256, method: "POST", path: "/orders/pay");

        using var first = await client.SendAsync(Request("/orders/pay", assertion, HttpMethod.Post));
        using var replayed = await client.SendAsync(Request("/orders/pay", assertion, HttpMethod.Post));
        var body = await replayed.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal("replayed", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task TheChallengeEventSeesTheFailureReasonAndMayWriteItsOwnResponse()
    {
        using var client = Loopback.ClientFor(_downstream!);
        var request = Request("/orders/43", _testbed.Sign(AssertionFormat.Hs256));
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("请通过网关访问（wrong_path, wrong_path）", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvalidOptionsStopStartUpWithTheSettingNamed()
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddAuthentication().AddGatewayIdentityAssertion(options => options.Hs256Keys["hs-1"] = "short");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(error.Failures, f => f.StartsWith("IdentityAssertion:Audience is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("IdentityAssertion:Hs256Keys:hs-1 must be the 32-byte base64 key", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_downstream is not null)
        {
            await _downstream.DisposeAsync();
        }

        _testbed.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using var client = Loopback.ClientFor(_downstream!);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static HttpRequestMessage Request(string target, SignedIdentityAssertion? assertion, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, target);
        foreach (var (name, value) in assertion?.Headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        return request;
    }
}
