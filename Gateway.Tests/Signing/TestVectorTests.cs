using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Signing;

/// <summary>
/// docs/test-vectors.json is what the Java, PHP, Python and Node examples check themselves against, so it must be
/// exactly what our signer produces and what our verifier decides. Set WGW_WRITE_TEST_VECTORS=1 to rewrite it after
/// an intended format change.
/// </summary>
public sealed class TestVectorTests
{
    private static readonly string FilePath = Path.Combine(RepositoryRoot(), "docs", "test-vectors.json");

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void TestVectorFileIsWhatOurSignerProducesExceptTheRandomEs256Signatures()
    {
        var generated = TestVectors.Build();
        if (Environment.GetEnvironmentVariable("WGW_WRITE_TEST_VECTORS") == "1")
        {
            File.WriteAllText(FilePath, generated.ToJsonString(Indented) + "\n");
        }

        var file = JsonNode.Parse(File.ReadAllText(FilePath))!;

        Assert.Equal(WithoutEs256Signatures(generated).ToJsonString(Indented), WithoutEs256Signatures(file).ToJsonString(Indented));
    }

    [Fact]
    public void EveryTestVectorGetsItsExpectedResultFromOurVerifier()
    {
        var document = JsonNode.Parse(File.ReadAllText(FilePath))!;
        var verifierConfig = document["verifier"]!;
        var options = new IdentityAssertionOptions
        {
            Audience = (string)verifierConfig["audience"]!,
            Issuer = (string)verifierConfig["issuer"]!,
            ClockSkew = TimeSpan.FromSeconds((int)verifierConfig["clock_skew_seconds"]!),
            Es256Jwks = verifierConfig["jwks"]!.ToJsonString(),
        };
        foreach (var (kid, key) in verifierConfig["hs256_keys"]!.AsObject())
        {
            options.Hs256Keys[kid] = (string)key!;
        }

        var outcomes = new List<string>();
        foreach (var vector in document["cases"]!.AsArray())
        {
            var headers = new HeaderDictionary();
            foreach (var (name, value) in vector!["headers"]!.AsObject())
            {
                headers[name] = (string)value!;
            }

            var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds((long)vector["now"]!));
            using var verifier = new IdentityAssertionVerifier(options, clock);
            var result = verifier.Verify(headers, (string)vector["method"]!, (string)vector["path"]!);
            var outcome = result.Succeeded ? "valid" : result.FailureReason;
            var identityMatches = !result.Succeeded || JsonNode.DeepEquals(vector["identity"], IdentityOf(result.Identity));
            outcomes.Add($"{vector["name"]}: {outcome}{(identityMatches ? "" : " (identity differs)")}");
        }

        Assert.Equal(
            document["cases"]!.AsArray().Select(v => $"{v!["name"]}: {v["expect"]}"),
            outcomes);
        Assert.True(outcomes.Count(o => o.EndsWith(": valid", StringComparison.Ordinal)) >= 3);
    }

    [Fact]
    public void TestVectorsCoverEveryFailureReasonTheVerifierCanGive()
    {
        var expected = JsonNode.Parse(File.ReadAllText(FilePath))!["cases"]!.AsArray().Select(v => (string)v!["expect"]!).ToHashSet();
        var reasons = typeof(AssertionFailureReasons).GetFields().Select(f => (string)f.GetRawConstantValue()!);

        Assert.Subset(expected, reasons.ToHashSet());
    }

    private static JsonObject IdentityOf(VerifiedIdentityAssertion identity) => TestVectors.Identity(
        identity.UnionId?.Value, identity.PersonId?.ToString(), identity.OpenId?.Value, identity.AppId?.Value, identity.Channel, identity.LegacyUserId,
        identity.Provider, identity.Subject, identity.Email, identity.Roles, identity.ClientId);

    private static JsonNode WithoutEs256Signatures(JsonNode document)
    {
        var copy = document.DeepClone();
        foreach (var vector in copy["cases"]!.AsArray())
        {
            var headers = vector!["headers"]!.AsObject();
            if (headers[IdentityHeaders.Assertion] is { } token && ((string)token!).Split('.') is [var header, var payload, _]
                && Base64Url.IsValid(header) && JsonNode.Parse(Base64Url.DecodeFromChars(header))?["alg"]?.GetValue<string>() == AssertionFormat.Es256)
            {
                headers[IdentityHeaders.Assertion] = header + "." + payload + ".<ES256 signature: random, verified instead>";
            }
        }

        return copy;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
