using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Gateway.Auth.Sessions;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>
/// A downstream with an <c>[Authorize]</c> endpoint, trusting the gateway only through the package's scheme,
/// behind the real gateway on an optional route: a signed-in user's request is admitted with the identity the
/// gateway asserted, an anonymous one is refused by the downstream itself.
/// </summary>
public sealed class AuthorizeBehindGatewayTests : IAsyncLifetime
{
    private const string Audience = "backend";

    private WebApplication? downstream;
    private GatewayInstance? gateway;

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddAuthentication().AddGatewayIdentityAssertion(options =>
        {
            options.Audience = Audience;
            options.Hs256Keys[TestKeys.ActiveHs256Id] = AudienceKey(TestKeys.ActiveHs256Secret, Audience, TestKeys.ActiveHs256Id);
        });
        builder.Services.AddAuthorization();
        downstream = builder.Build();
        downstream.UseAuthentication();
        downstream.UseAuthorization();
        downstream.MapGet("/orders/{id}", [Authorize] (string id, ClaimsPrincipal user) => new
        {
            id,
            unionId = user.FindFirstValue(IdentityAssertionClaimTypes.UnionId),
            personId = user.FindFirstValue(IdentityAssertionClaimTypes.PersonId),
            openId = user.FindFirstValue(IdentityAssertionClaimTypes.OpenId),
            channel = user.FindFirstValue(IdentityAssertionClaimTypes.Channel),
        });
        await downstream.StartAsync();

        gateway = await GatewayInstance.StartAsync(YarpJson.Build(
            Loopback.AddressOf(downstream),
            [new TestRoute("api", "/api/{**rest}", "optional", PathRemovePrefix: "/api")],
            assertionAlgorithm: AssertionFormat.Hs256));
    }

    [Fact]
    public async Task AnAuthorizeEndpointAdmitsTheSignedInUserWithTheIdentityTheGatewayAsserted()
    {
        var session = await GatewaySessions.IssueAsync(gateway!, GatewaySessions.NewMiniProgramLogin(), SessionTransport.Bearer);

        using var response = await gateway!.Public.SendAsync(session.Get("/api/orders/42"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("42", body.GetProperty("id").GetString());
        Assert.Equal($"{session.Identity.UnionId}", body.GetProperty("unionId").GetString());
        Assert.Equal($"{session.Identity.PersonId}", body.GetProperty("personId").GetString());
        Assert.Equal($"{session.Identity.OpenId}", body.GetProperty("openId").GetString());
        Assert.Equal(AssertionChannels.MiniProgram, body.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task AnAuthorizeEndpointAnswersAnAnonymousRequest401JsonThroughTheGateway()
    {
        using var response = await gateway!.Public.GetAsync("/api/orders/42");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("identity_assertion_required", body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task AClientSentUnionIdHeaderUnderAnySpellingNeverSignsAnAnonymousRequestIn()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders/42");
        request.Headers.TryAddWithoutValidation("X-Union-Id", "oU_spoofed");
        request.Headers.TryAddWithoutValidation("X_Union_Id", "oU_spoofed");

        using var response = await gateway!.Public.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        // The gateway strips both spellings, so the downstream sees a plain anonymous request.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("identity_assertion_required", body.GetProperty("code").GetString());
    }

    public async Task DisposeAsync()
    {
        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }

        if (downstream is not null)
        {
            await downstream.DisposeAsync();
        }
    }
}
