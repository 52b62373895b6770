using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gateway.Auth.Signing;
using Gateway.Auth.Verification;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>Assertions made by anyone but the gateway, or altered after signing, are refused.</summary>
public sealed class AssertionForgeryTests : IDisposable
{
    private readonly AssertionTestbed testbed = Standard();

    private static string OrdersKey => AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);

    private string ValidPayload() => PayloadOf(testbed.Sign(AssertionFormat.Hs256).Token);

    private IdentityAssertionVerificationResult Present(string token)
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256));
        headers[IdentityHeaders.Assertion] = token;
        return testbed.Verifier().Verify(headers, "GET", OrderPath);
    }

    [Fact]
    public void AnotherAudienceCannotForgeForThisOneWithTheHs256KeyItHolds()
    {
        var billingKey = AudienceKey(TestKeys.ActiveHs256Secret, Billing, TestKeys.ActiveHs256Id);

        var forged = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id), ValidPayload(), Hmac(billingKey));

        Assert.Equal(AssertionFailureReasons.BadSignature, Present(forged).FailureReason);
    }

    [Fact]
    public void TheMasterSecretItselfIsNotAnAudienceKey()
    {
        var forged = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id), ValidPayload(), Hmac(TestKeys.ActiveHs256Secret));

        Assert.Equal(AssertionFailureReasons.BadSignature, Present(forged).FailureReason);
    }

    [Fact]
    public void AssertionSignedWithAnUnpublishedEs256KeyUnderThePublishedKeyIdFails()
    {
        using var attackerKey = ECDsa.Create();
        attackerKey.ImportFromPem(TestKeys.UnpublishedEs256PrivateKeyPem);

        var forged = Forge(JwsHeader(AssertionFormat.Es256, TestKeys.Es256Id), ValidPayload(), input => attackerKey.SignData(input, HashAlgorithmName.SHA256));

        Assert.Equal(AssertionFailureReasons.BadSignature, Present(forged).FailureReason);
    }

    [Fact]
    public void AssertionSignedWithAnUnpublishedEs256KeyUnderItsOwnKeyIdFails()
    {
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forged = Forge(JwsHeader(AssertionFormat.Es256, "es-attacker"), ValidPayload(), input => attackerKey.SignData(input, HashAlgorithmName.SHA256));

        Assert.Equal(AssertionFailureReasons.UnknownKey, Present(forged).FailureReason);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("HS512")]
    [InlineData("RS256")]
    [InlineData("")]
    public void AlgorithmsOtherThanHs256AndEs256AreRejectedEvenWithoutASignature(string alg)
    {
        var unsigned = Forge(JwsHeader(alg, TestKeys.ActiveHs256Id), ValidPayload(), _ => []);

        Assert.Equal(AssertionFailureReasons.AlgorithmNotAllowed, Present(unsigned).FailureReason);
    }

    [Theory]
    [InlineData("uncompressed-point")]
    [InlineData("x-coordinate")]
    [InlineData("spki-der")]
    [InlineData("spki-pem")]
    [InlineData("jwks")]
    public void Es256PublicKeyMaterialUsedAsAnHs256SecretIsRejected(string material)
    {
        using var published = ECDsa.Create();
        published.ImportFromPem(TestKeys.Es256PrivateKeyPem);
        var point = published.ExportParameters(false).Q;
        byte[] secret = material switch
        {
            "uncompressed-point" => [0x04, .. point.X!, .. point.Y!],
            "x-coordinate" => point.X!,
            "spki-der" => published.ExportSubjectPublicKeyInfo(),
            "spki-pem" => Encoding.ASCII.GetBytes(published.ExportSubjectPublicKeyInfoPem()),
            _ => Encoding.UTF8.GetBytes(testbed.Jwks),
        };

        var confused = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.Es256Id), ValidPayload(), input => HMACSHA256.HashData(secret, input));

        Assert.Equal(AssertionFailureReasons.AlgorithmNotAllowed, Present(confused).FailureReason);
    }

    [Fact]
    public void AnHs256KeyIdIsNotAcceptedForAnEs256Signature()
    {
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forged = Forge(JwsHeader(AssertionFormat.Es256, TestKeys.ActiveHs256Id), ValidPayload(), input => attackerKey.SignData(input, HashAlgorithmName.SHA256));

        Assert.Equal(AssertionFailureReasons.AlgorithmNotAllowed, Present(forged).FailureReason);
    }

    [Fact]
    public void UnknownKeyIdIsRejected()
    {
        var forged = Forge(JwsHeader(AssertionFormat.Hs256, "hs-2099-01"), ValidPayload(), Hmac(OrdersKey));

        Assert.Equal(AssertionFailureReasons.UnknownKey, Present(forged).FailureReason);
    }

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public void TamperedPayloadFailsTheSignature(string algorithm)
    {
        var token = testbed.Sign(algorithm).Token;
        var parts = token.Split('.');
        var tampered = PayloadOf(token).Replace(Alice.PersonId?.ToString()!, "1002", StringComparison.Ordinal);
        var forged = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(tampered)) + "." + parts[2];

        Assert.Equal(AssertionFailureReasons.BadSignature, Present(forged).FailureReason);
    }

    [Fact]
    public void TruncatedEs256SignatureFails()
    {
        var token = testbed.Sign(AssertionFormat.Es256).Token;
        var signature = Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));
        var truncated = token[..(token.LastIndexOf('.') + 1)] + Base64Url.EncodeToString(signature.AsSpan(0, 63));

        Assert.Equal(AssertionFailureReasons.BadSignature, Present(truncated).FailureReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9=.e30.AAAA")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9 .e30.AAAA")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9+.e30.AAAA")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e31.AAAA")]
    public void TokensThatAreNotThreeUnpaddedBase64UrlPartsAreMalformed(string token) =>
        Assert.Equal(AssertionFailureReasons.Malformed, Present(token).FailureReason);

    [Theory]
    [InlineData("""["HS256"]""")]
    [InlineData("""{"alg":"HS256","kid":"hs-2026-11"}""")]
    [InlineData("""{"alg":"HS256","kid":"hs-2026-11","typ":"JWT"}""")]
    [InlineData("""{"alg":"HS256","kid":"hs-2026-11","typ":"wgw-id+jwt","crit":["exp"]}""")]
    [InlineData("""{"alg":"none","alg":"HS256","kid":"hs-2026-11","typ":"wgw-id+jwt"}""")]
    [InlineData("""{"alg":"HS256","kid":7,"typ":"wgw-id+jwt"}""")]
    public void ProtectedHeadersOtherThanAlgKidAndOurTypAreMalformed(string header)
    {
        var forged = Forge(header, ValidPayload(), Hmac(OrdersKey));

        Assert.Equal(AssertionFailureReasons.Malformed, Present(forged).FailureReason);
    }

    [Theory]
    [InlineData("\"exp\":", "\"exp\":\"soon\",\"x\":")]
    [InlineData("\"exp\":", "\"exp\":1.5,\"x\":")]
    [InlineData("\"pid\":\"1001\"", "\"pid\":1001")]
    [InlineData("\"htu\":", "\"htu\":null,\"x\":")]
    [InlineData("\"aud\":\"orders\",", "\"aud\":\"orders\",\"aud\":\"orders\",")]
    public void CorrectlySignedPayloadWithMistypedOrDuplicatedClaimsIsMalformed(string find, string replace)
    {
        var payload = ValidPayload().Replace(find, replace, StringComparison.Ordinal);

        var forged = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id), payload, Hmac(OrdersKey));

        Assert.Equal(AssertionFailureReasons.Malformed, Present(forged).FailureReason);
    }

    [Fact]
    public void AssertionFromAnotherIssuerIsRejected()
    {
        var payload = ValidPayload().Replace("\"iss\":\"wechat-auth-gateway\"", "\"iss\":\"someone-else\"", StringComparison.Ordinal);

        var forged = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id), payload, Hmac(OrdersKey));

        Assert.Equal(AssertionFailureReasons.WrongIssuer, Present(forged).FailureReason);
    }

    [Fact]
    public void RequestWithoutAssertionIsReportedAsMissing()
    {
        var headers = new HeaderDictionary { [IdentityHeaders.UnionId] = Alice.UnionId?.Value };

        Assert.Equal(AssertionFailureReasons.Missing, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void TwoAssertionHeadersAreMalformedEvenIfOneIsValid()
    {
        var valid = testbed.Sign(AssertionFormat.Hs256);
        var headers = Headers(valid);
        headers.Append(IdentityHeaders.Assertion, valid.Token);

        Assert.Equal(AssertionFailureReasons.Malformed, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    public void Dispose() => testbed.Dispose();
}
