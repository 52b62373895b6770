using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Auth.Identity;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Identity;

/// <summary>Person lookup and disable on the real gateway: management listener and API key only.</summary>
public sealed class IdentityManagementThroughGatewayTests
{
    [Fact]
    public async Task PersonLookupAnswersOnTheManagementListenerAndDoesNotExistOnThePublicOne()
    {
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(new Uri("http://127.0.0.1:9/"), new TestRoute("api", "/api/{**rest}")));
        var resolved = await gateway.Services.GetRequiredService<IIdentityResolver>()
            .ResolveAsync(new LoginIdentity(new AppId("wx_app_a"), new OpenId("openid_a_1"), new UnionId("union_1"), LoginChannel.MiniProgram));
        var path = "/_gateway/persons/by-unionid/union_1";

        var management = await gateway.Management.SendAsync(Authorized(HttpMethod.Get, path));
        var publicListener = await gateway.Public.SendAsync(Authorized(HttpMethod.Get, path));
        var withoutKey = await gateway.Management.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, management.StatusCode);
        using (var person = JsonDocument.Parse(await management.Content.ReadAsStringAsync()))
        {
            Assert.Contains(resolved.PersonId.ToString(), person.RootElement.GetRawText());
        }

        Assert.Equal(HttpStatusCode.NotFound, publicListener.StatusCode);
        Assert.DoesNotContain("union_1", await publicListener.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    [Fact]
    public async Task DisablingThroughThePublicListenerIsImpossible()
    {
        await using var gateway = await GatewayInstance.StartAsync(
            YarpJson.Build(new Uri("http://127.0.0.1:9/"), new TestRoute("api", "/api/{**rest}")));
        var resolved = await gateway.Services.GetRequiredService<IIdentityResolver>()
            .ResolveAsync(new LoginIdentity(new AppId("wx_app_a"), new OpenId("openid_a_2"), new UnionId("union_2"), LoginChannel.MiniProgram));

        var response = await gateway.Public.SendAsync(Authorized(HttpMethod.Post, $"/_gateway/persons/{resolved.PersonId}/disable"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var again = await gateway.Services.GetRequiredService<IIdentityResolver>()
            .ResolveAsync(new LoginIdentity(new AppId("wx_app_a"), new OpenId("openid_a_2"), new UnionId("union_2"), LoginChannel.MiniProgram));
        Assert.Equal(resolved.PersonId, again.PersonId);
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path) =>
        new(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", GatewayInstance.ManagementApiKey) } };
}
