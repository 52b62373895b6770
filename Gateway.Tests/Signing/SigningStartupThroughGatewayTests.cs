using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Signing;

/// <summary>Signing settings as the real gateway takes them at start-up: the messages name the setting used.</summary>
public sealed class SigningStartupThroughGatewayTests
{
    private static readonly string Yarp = YarpJson.Build(new Uri("http://127.0.0.1:9"), new TestRoute("api", "/api/{**rest}", "optional"));

    [Fact]
    public void AShortMasterSecretInASecretFileStopsStartUpNamingSecretFile()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, Convert.ToBase64String(new byte[20]));
        try
        {
            var failure = GatewayInstance.TryStart(Yarp, new Dictionary<string, string?>
            {
                [$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:Secret"] = null,
                [$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:SecretFile"] = file,
            });

            Assert.NotNull(failure);
            Assert.Contains($"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:SecretFile '{file}' is 20 bytes; at least 32 are required", failure.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AShortInlineMasterSecretStopsStartUpNamingSecret()
    {
        var failure = GatewayInstance.TryStart(Yarp, new Dictionary<string, string?>
        {
            [$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:Secret"] = Convert.ToBase64String(new byte[20]),
        });

        Assert.NotNull(failure);
        Assert.Contains($"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:Secret is 20 bytes; at least 32 are required", failure.ToString());
    }

    [Fact]
    public void ARouteContainingThePublicJwksPathIsRefused()
    {
        var yarp = YarpJson.Build(new Uri("http://127.0.0.1:9"), new TestRoute("keys", "/keys/{**rest}", "anonymous"));

        var failure = GatewayInstance.TryStart(yarp, new Dictionary<string, string?> { ["Signing:PublicJwksPath"] = "/keys/jwks.json" });

        Assert.NotNull(failure);
        Assert.Contains("Route 'keys' matches '/keys/{**rest}', which contains Signing:PublicJwksPath '/keys/jwks.json'", failure.ToString());
    }

    [Fact]
    public async Task ThePublicListenerServesNoJwksUnlessAPathIsConfigured()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yarp);

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Public.GetAsync(Microsoft.AspNetCore.Builder.IdentityAssertionJwksEndpointRouteBuilderExtensions.ManagementJwksPath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Management.GetAsync(Microsoft.AspNetCore.Builder.IdentityAssertionJwksEndpointRouteBuilderExtensions.ManagementJwksPath)).StatusCode);
    }
}
