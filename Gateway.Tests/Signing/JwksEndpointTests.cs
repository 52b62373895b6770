using Gateway.Tests.Infrastructure;
using System.Text.Json;
using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

public sealed class JwksEndpointTests
{
    [Fact]
    public async Task JwksPublishesEveryConfiguredEs256PublicKeyAndNoPrivateMaterialAndItVerifiesTheGatewaysAssertions()
    {
        var configuration = Configuration(
            [(TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)], TestKeys.ActiveHs256Id,
            [(TestKeys.Es256Id, TestKeys.Es256PrivateKeyPem), ("es-2027-05", TestKeys.UnpublishedEs256PrivateKeyPem)], TestKeys.Es256Id);
        var builder = Loopback.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddIdentityAssertions(builder.Configuration);
        await using var app = builder.Build();
        app.MapIdentityAssertionJwks();
        await app.StartAsync();
        using var client = Loopback.ClientFor(app);

        using var response = await client.GetAsync("/.well-known/jwks.json");
        var jwks = await response.Content.ReadAsStringAsync();
        var keys = JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().ToList();
        var assertion = app.Services.GetRequiredService<IIdentityAssertionSigner>()
            .Sign(new IdentityAssertionRequest(Orders, AssertionFormat.Es256, "GET", OrderPath, Alice));
        using var verifier = new IdentityAssertionVerifier(new IdentityAssertionOptions { Audience = Orders, Es256Jwks = jwks }, TimeProvider.System);

        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([TestKeys.Es256Id, "es-2027-05"], keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.All(keys, k => Assert.False(k.TryGetProperty("d", out _)));
        Assert.All(keys, k => Assert.Equal("ES256", k.GetProperty("alg").GetString()));
        Assert.True(verifier.Verify(Headers(assertion), "GET", OrderPath).Succeeded);
    }
}
