using Gateway.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Auth.Signing;
using Gateway.Auth.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>A downstream service on Kestrel using the middleware, called the way the gateway calls it.</summary>
public sealed class VerificationMiddlewareTests : IAsyncLifetime
{
    private readonly AssertionTestbed testbed = Standard();
    private WebApplication? required;
    private WebApplication? optional;

    private static async Task<WebApplication> StartDownstreamAsync(AssertionTestbed testbed, bool isRequired)
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(testbed.Time);
        builder.Services.AddIdentityAssertionVerification(options =>
        {
            options.Audience = Orders;
            options.Hs256Keys[TestKeys.ActiveHs256Id] = AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);
            options.Es256Jwks = testbed.Jwks;
            options.Required = isRequired;
        });
        var app = builder.Build();
        app.UseIdentityAssertionVerification();
        app.MapGet("/{**rest}", (HttpContext context) => new
        {
            unionId = context.GetVerifiedIdentity()?.UnionId,
            name = context.User.Identity?.Name,
            authenticated = context.User.Identity?.IsAuthenticated ?? false,
        });
        await app.StartAsync();
        return app;
    }

    private static HttpRequestMessage Request(string target, SignedIdentityAssertion? assertion)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        foreach (var (name, value) in assertion?.Headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    public async Task InitializeAsync()
    {
        required = await StartDownstreamAsync(testbed, isRequired: true);
        optional = await StartDownstreamAsync(testbed, isRequired: false);
    }

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public async Task VerifiedIdentityReachesTheEndpointAsFeatureAndUser(string algorithm)
    {
        using var client = Loopback.ClientFor(required!);

        using var response = await client.SendAsync(Request(OrderPath, testbed.Sign(algorithm)));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Alice.UnionId?.Value, body.GetProperty("unionId").GetString());
        Assert.Equal(Alice.UnionId?.Value, body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task PercentEncodedTargetIsVerifiedAsItArrivedOnTheWire()
    {
        using var client = Loopback.ClientFor(required!);
        const string target = "/orders/a%2Fb/%E4%BD%A0?q=%20x&y=1";

        using var response = await client.SendAsync(Request(target, testbed.Sign(AssertionFormat.Hs256, path: target)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReplayedToAnotherPathIsAnswered401WithTheReason()
    {
        using var client = Loopback.ClientFor(required!);

        using var response = await client.SendAsync(Request("/orders/43", testbed.Sign(AssertionFormat.Hs256)));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("identity_assertion_invalid", body.GetProperty("code").GetString());
        Assert.Equal(AssertionFailureReasons.WrongPath, body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RequiredVerificationRefusesARequestWithoutAssertion()
    {
        using var client = Loopback.ClientFor(required!);

        using var response = await client.SendAsync(Request(OrderPath, null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OptionalVerificationLetsARequestWithoutAssertionThroughAnonymously()
    {
        using var client = Loopback.ClientFor(optional!);

        using var response = await client.SendAsync(Request(OrderPath, null));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task OptionalVerificationStillRefusesASpoofedUnionIdHeader()
    {
        using var client = Loopback.ClientFor(optional!);
        var request = Request(OrderPath, testbed.Sign(AssertionFormat.Es256, identity: Alice with { UnionId = null }));
        request.Headers.Add(IdentityHeaders.UnionId, "o6_someone_else");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OptionalVerificationRefusesAnIdentityHeaderThatCameWithoutAnyAssertion()
    {
        using var client = Loopback.ClientFor(optional!);
        var request = Request(OrderPath, null);
        request.Headers.Add("x-union-id", Alice.UnionId?.Value);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AssertionFailureReasons.HeaderMismatch, body.GetProperty("reason").GetString());
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { required, optional })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        testbed.Dispose();
    }
}
