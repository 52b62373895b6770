using Gateway.Auth.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>Bad signing configuration stops start-up with a message naming the setting.</summary>
public sealed class SigningOptionsValidationTests
{
    private static readonly (string, string) Active = (TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret);

    private static string StartupFailure(Dictionary<string, string?> configuration)
    {
        using var services = new ServiceCollection()
            .AddIdentityAssertions(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .BuildServiceProvider();
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SigningOptions>>().Value);
        return string.Join("\n", failure.Failures);
    }

    [Fact]
    public void ActiveKeyIdThatNamesNoKeyIsRefused() =>
        Assert.Contains(
            "Signing:Hs256:ActiveKeyId 'hs-typo' does not name a key in Signing:Hs256:Keys",
            StartupFailure(Configuration([Active], "hs-typo", [], null)));

    [Fact]
    public void KeysWithoutAnActiveKeyIdAreRefused() =>
        Assert.Contains("Signing:Hs256:ActiveKeyId is required", StartupFailure(Configuration([Active], null, [], null)));

    [Fact]
    public void MasterSecretShorterThan32BytesIsRefused() =>
        Assert.Contains(
            "Signing:Hs256:Keys:hs-1:Secret is 16 bytes; at least 32 are required",
            StartupFailure(Configuration([("hs-1", Convert.ToBase64String(new byte[16]))], "hs-1", [], null)));

    [Fact]
    public void MasterSecretThatIsNotBase64IsRefused() =>
        Assert.Contains("Signing:Hs256:Keys:hs-1:Secret is not valid base64", StartupFailure(Configuration([("hs-1", "not base64!")], "hs-1", [], null)));

    [Fact]
    public void KeyIdOutsideTheKeyIdAlphabetIsRefusedBecauseItCouldMakeTheHkdfInfoAmbiguous() =>
        Assert.Contains("Signing:Hs256:Keys:a b: the key id 'a b' is not valid", StartupFailure(Configuration([("a b", TestKeys.ActiveHs256Secret)], "a b", [], null)));

    [Fact]
    public void PublicKeyInsteadOfAnEs256PrivateKeyIsRefused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        Assert.Contains(
            "Signing:Es256:Keys:es-1:PrivateKeyPem is not a P-256",
            StartupFailure(Configuration([], null, [("es-1", key.ExportSubjectPublicKeyInfoPem())], "es-1")));
    }

    [Fact]
    public void EcKeyOnAnotherCurveIsRefused()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);

        Assert.Contains(
            "Signing:Es256:Keys:es-1:PrivateKeyPem is not a P-256",
            StartupFailure(Configuration([], null, [("es-1", key.ExportPkcs8PrivateKeyPem())], "es-1")));
    }

    [Fact]
    public void KeyIdUsedByBothAlgorithmsIsRefused() =>
        Assert.Contains(
            "Signing:Es256:Keys:k1: key id 'k1' is used by another key",
            StartupFailure(Configuration([("k1", TestKeys.ActiveHs256Secret)], "k1", [("k1", TestKeys.Es256PrivateKeyPem)], "k1")));

    [Fact]
    public void NoKeyAtAllIsRefused() =>
        Assert.Contains("Signing needs at least one key", StartupFailure([]));

    [Fact]
    public void MissingSecretFileIsRefusedWithItsPath()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Signing:Hs256:ActiveKeyId"] = "hs-1",
            ["Signing:Hs256:Keys:hs-1:SecretFile"] = "/nonexistent/master.key",
        };

        Assert.Contains("Signing:Hs256:Keys:hs-1:SecretFile '/nonexistent/master.key' cannot be read", StartupFailure(configuration));
    }

    [Fact]
    public void MasterSecretIsReadFromSecretFile()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, TestKeys.ActiveHs256Secret + "\n");
        try
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Signing:Hs256:ActiveKeyId"] = TestKeys.ActiveHs256Id,
                [$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:SecretFile"] = file,
            };
            using var testbed = new AssertionTestbed(configuration);

            Assert.True(testbed.Verifier(Orders, Active).Verify(Headers(testbed.Sign(AssertionFormat.Hs256)), "GET", OrderPath).Succeeded);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MasterSecretFileShorterThan32BytesIsRefusedNamingSecretFile()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, Convert.ToBase64String(new byte[16]));
        try
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Signing:Hs256:ActiveKeyId"] = "hs-1",
                ["Signing:Hs256:Keys:hs-1:SecretFile"] = file,
            };

            Assert.Contains($"Signing:Hs256:Keys:hs-1:SecretFile '{file}' is 16 bytes; at least 32 are required", StartupFailure(configuration));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TheRetiredArrayFormIsRefusedWithTheNamedSettingToUseInstead()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Signing:Hs256:ActiveKeyId"] = "hs-1",
            ["Signing:Hs256:Keys:0:Id"] = "hs-1",
            ["Signing:Hs256:Keys:0:Secret"] = TestKeys.ActiveHs256Secret,
        };

        Assert.Contains(
            "Signing:Hs256:Keys:0:Id is the array form, which is no longer read: name the key by its id instead, as Signing:Hs256:Keys:hs-1:SecretFile",
            StartupFailure(configuration));
    }

    [Theory]
    [InlineData("jwks.json", "must be an absolute path")]
    [InlineData("/keys/{kid}", "must be an absolute path")]
    [InlineData("/auth/jwks.json", "is under a path the gateway serves itself")]
    [InlineData("/_gateway/jwks.json", "is under a path the gateway serves itself")]
    public void PublicJwksPathThatIsNotAPlainPathOfItsOwnIsRefused(string path, string expected)
    {
        var configuration = Configuration([Active], TestKeys.ActiveHs256Id, [], null);
        configuration["Signing:PublicJwksPath"] = path;

        Assert.Contains($"Signing:PublicJwksPath '{path}' {expected}", StartupFailure(configuration));
    }

    [Fact]
    public void LifetimeLongerThanTenMinutesIsRefused()
    {
        var configuration = Configuration([Active], TestKeys.ActiveHs256Id, [], null);
        configuration["Signing:Lifetime"] = "01:00:00";

        Assert.Contains("Signing:Lifetime must be between", StartupFailure(configuration));
    }

    [Fact]
    public void GeneratedDevelopmentKeysSignBothAlgorithmsAndSurviveARestartThroughTheirFile()
    {
        var file = Path.Combine(Path.GetTempPath(), "wgw-dev-keys-" + Guid.NewGuid().ToString("N"), "signing.json");
        var configuration = new Dictionary<string, string?> { ["Signing:GenerateDevelopmentKeys"] = "true", ["Signing:DevelopmentKeysFile"] = file };
        try
        {
            using var first = new AssertionTestbed(configuration);
            var hs256 = Headers(first.Sign(AssertionFormat.Hs256));
            var es256 = Headers(first.Sign(AssertionFormat.Es256));
            using var restarted = new AssertionTestbed(configuration);
            var devSecret = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("Hs256Secret").GetString()!;
            var verifier = restarted.Verifier(Orders, ("dev-hs256", devSecret));

            Assert.Equal(first.Jwks, restarted.Jwks);
            Assert.True(verifier.Verify(hs256, "GET", OrderPath).Succeeded);
            Assert.True(verifier.Verify(es256, "GET", OrderPath).Succeeded);
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, "IdentityAssertion:Audience is required")]
    [InlineData("short", "IdentityAssertion:Hs256Keys:hs-1 must be the 32-byte base64 key")]
    public void VerifierOptionsAreValidatedWithTheSettingNamed(string? key, string expected)
    {
        var options = new IdentityAssertionOptions { Audience = key is null ? null : Orders };
        options.Hs256Keys["hs-1"] = key ?? AudienceKey(TestKeys.ActiveHs256Secret, Orders, "hs-1");

        Assert.Contains(IdentityAssertionVerifier.Validate(options), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void VerifierRefusesAJwksThatIsNotOne()
    {
        var options = new IdentityAssertionOptions { Audience = Orders, Es256Jwks = """{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"AA","y":"AA"}]}""" };

        Assert.Contains(IdentityAssertionVerifier.Validate(options), e => e.StartsWith("IdentityAssertion:Es256Jwks is not a valid JWK Set", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifierRefusesAnEs256PrivateKeyWhereAPublicKeyBelongs()
    {
        var options = new IdentityAssertionOptions { Audience = Orders };
        options.Es256PublicKeys[TestKeys.Es256Id] = TestKeys.Es256PrivateKeyPem;

        Assert.Contains(IdentityAssertionVerifier.Validate(options), e => e.StartsWith("IdentityAssertion:Es256PublicKeys:es-2026-11 is not a P-256 public key", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifierRefusesOneKeyIdForTwoKeys()
    {
        using var testbed = Standard();
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(TestKeys.UnpublishedEs256PrivateKeyPem);
        var options = new IdentityAssertionOptions { Audience = Orders, Es256Jwks = testbed.Jwks };
        options.Es256PublicKeys[TestKeys.Es256Id] = key.ExportSubjectPublicKeyInfoPem();

        Assert.Contains(IdentityAssertionVerifier.Validate(options), e => e.Contains("key id 'es-2026-11' is used by another key", StringComparison.Ordinal));
    }
}
