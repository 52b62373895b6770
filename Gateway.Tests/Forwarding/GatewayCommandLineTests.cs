using Gateway.Auth.Signing;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Signing;

namespace Gateway.Tests.Forwarding;

/// <summary>The gateway executable itself, as an operator runs it.</summary>
public sealed class GatewayCommandLineTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PrintAudienceKeyPrintsTheHs256KeyDerivedForThatAudience()
    {
        // "demo" is the shipped yarp.json's cluster: an audience no cluster has is refused (CommandLineTests).
        var output = await RunGatewayAsync(["print-audience-key", "demo"], new Dictionary<string, string>
        {
            ["Signing__Hs256__ActiveKeyId"] = TestKeys.ActiveHs256Id,
            [$"Signing__Hs256__Keys__{TestKeys.ActiveHs256Id}__Secret"] = TestKeys.ActiveHs256Secret,
        });

        var expected = Convert.ToBase64String(Hs256KeyDerivation.DeriveAudienceKey(Convert.FromBase64String(TestKeys.ActiveHs256Secret), "demo", TestKeys.ActiveHs256Id));
        Assert.Contains("IdentityAssertion:Audience=demo", output);
        Assert.Contains($"IdentityAssertion:Hs256Keys:{TestKeys.ActiveHs256Id}={expected}", output);
        Assert.DoesNotContain(TestKeys.ActiveHs256Secret, output);
    }

    [Fact]
    public async Task GeneratedDevelopmentSigningKeysAreRefusedInProduction()
    {
        var output = await RunGatewayAsync([], new Dictionary<string, string> { ["Signing__GenerateDevelopmentKeys"] = "true" });

        Assert.Contains("Signing:GenerateDevelopmentKeys must not be true in the Production environment", output);
    }

    private static async Task<string> RunGatewayAsync(string[] arguments, Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var gateway = ChildProcess.Start(
            "dotnet",
            ["run", "--no-build", "--no-launch-profile", "--project", Path.Combine(Repository.Root, "Gateway"), "--", .. arguments],
            Repository.Root,
            environment);
        using var timeout = new CancellationTokenSource(RunTimeout);
        await gateway.WaitForExitAsync(timeout.Token);
        return gateway.Output;
    }
}
