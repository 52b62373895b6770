using Gateway.Auth.Signing;
using Gateway.Auth.Verification;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>docs/security.md §9: an openid is never accepted where a unionid is expected.</summary>
public sealed class SubjectConfusionTests : IDisposable
{
    private readonly AssertionTestbed testbed = Standard();

    private static readonly AssertedIdentity WithoutUnionId = Alice with { UnionId = null };

    [Fact]
    public void UserWithoutUnionIdGetsNoUnionIdClaimHeaderOrIdentity()
    {
        var assertion = testbed.Sign(AssertionFormat.Es256, identity: WithoutUnionId);

        var result = testbed.Verifier().Verify(Headers(assertion), "GET", OrderPath);

        Assert.DoesNotContain(assertion.Headers, h => h.Key == IdentityHeaders.UnionId);
        Assert.DoesNotContain("\"uid\"", PayloadOf(assertion.Token), StringComparison.Ordinal);
        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Null(result.Identity.UnionId);
        Assert.Equal(Alice.OpenId?.Value, result.Identity.OpenId);
    }

    [Fact]
    public void OpenIdPresentedAsUnionIdHeaderBesideAnAssertionWithoutUnionIdFails()
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256, identity: WithoutUnionId));
        headers[IdentityHeaders.UnionId] = Alice.OpenId?.Value;

        Assert.Equal(AssertionFailureReasons.HeaderMismatch, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void SignerRefusesToAssertAnOpenIdAsTheUnionId()
    {
        // The types refuse `UnionId = Alice.OpenId` at compile time; the signer still refuses a converted one.
        var confused = Alice with { UnionId = new UnionId(Alice.OpenId!.Value.Value) };

        Assert.Throws<ArgumentException>(() => testbed.Sign(AssertionFormat.Hs256, identity: confused));
    }

    [Fact]
    public void VerifierRefusesAnAssertionWhoseUnionIdEqualsItsOpenIdEvenWhenCorrectlySigned()
    {
        var payload = PayloadOf(testbed.Sign(AssertionFormat.Hs256).Token).Replace(Alice.UnionId?.Value!, Alice.OpenId?.Value, StringComparison.Ordinal);
        var key = AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);
        var token = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id), payload, Hmac(key));
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256));
        headers[IdentityHeaders.UnionId] = Alice.OpenId?.Value;
        headers[IdentityHeaders.Assertion] = token;

        Assert.Equal(AssertionFailureReasons.SubjectConfusion, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    public void Dispose() => testbed.Dispose();
}
