using Gateway.Auth.Signing;
using Microsoft.Extensions.Configuration;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

public sealed class PrintAudienceKeyCommandTests
{
    private static (int ExitCode, string Output) Run(Dictionary<string, string?> configuration, params string[] args)
    {
        var output = new StringWriter();
        // The audience is a cluster of the proxy configuration; CommandLineTests shows another being refused.
        configuration[$"ReverseProxy:Clusters:{Orders}:Destinations:d1:Address"] = "http://127.0.0.1:1/";
        var exitCode = PrintAudienceKeyCommand.Run(args, new ConfigurationBuilder().AddInMemoryCollection(configuration).Build(), output);
        return (exitCode, output.ToString());
    }

    [Fact]
    public void PrintsTheConfigurationADownstreamNeedsToVerifyItsAssertionsDuringARotation()
    {
        using var testbed = Standard();

        var (exitCode, output) = Run(Configuration(
            [(TestKeys.PreviousHs256Id, TestKeys.PreviousHs256Secret), (TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)],
            TestKeys.ActiveHs256Id, [], null), Orders);
        var downstream = new ConfigurationBuilder()
            .AddInMemoryCollection(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => !line.StartsWith('#'))
                .Select(line => line.Split('=', 2))
                .Select(pair => KeyValuePair.Create(pair[0], (string?)pair[1])))
            .Build();
        var options = new IdentityAssertionOptions();
        downstream.GetSection(IdentityAssertionOptions.SectionName).Bind(options);
        var verifier = new IdentityAssertionVerifier(options, testbed.Time);

        Assert.Equal(0, exitCode);
        Assert.Contains($"# {TestKeys.ActiveHs256Id}: active", output, StringComparison.Ordinal);
        Assert.Equal(AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id), options.Hs256Keys[TestKeys.ActiveHs256Id]);
        Assert.True(verifier.Verify(Headers(testbed.Sign(AssertionFormat.Hs256)), "GET", OrderPath).Succeeded);
        Assert.DoesNotContain(TestKeys.ActiveHs256Secret, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("orders", "billing")]
    [InlineData("--help")]
    public void WrongUsageExitsWithTwo(params string[] args) =>
        Assert.Equal(2, Run([], args).ExitCode);

    [Fact]
    public void InvalidSigningConfigurationExitsWithOneNamingTheSetting()
    {
        var (exitCode, output) = Run(Configuration([(TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret)], "hs-typo", [], null), Orders);

        Assert.Equal(1, exitCode);
        Assert.Contains("Signing:Hs256:ActiveKeyId 'hs-typo'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Es256OnlyConfigurationHasNoAudienceKeyToPrint()
    {
        var (exitCode, output) = Run(Configuration([], null, [(TestKeys.Es256Id, TestKeys.Es256PrivateKeyPem)], TestKeys.Es256Id), Orders);

        Assert.Equal(1, exitCode);
        Assert.Contains("no HS256 master secret", output, StringComparison.Ordinal);
    }
}
