using Gateway.Auth.Signing;
using Gateway.Auth.Verification;
using static Gateway.Tests.Signing.AssertionTestbed;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Signing;

/// <summary>docs/security.md §8: a captured assertion replayed later, elsewhere or to another service fails.</summary>
public sealed class AssertionReplayTests : IDisposable
{
    private readonly AssertionTestbed testbed = Standard();

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public void TheDestinationVerifiesAFreshAssertion(string algorithm)
    {
        var assertion = testbed.Sign(algorithm);

        var result = testbed.Verifier().Verify(Headers(assertion), "GET", OrderPath);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(Alice.UnionId?.Value, result.Identity.UnionId);
        Assert.Equal(Alice.PersonId?.ToString(), result.Identity.PersonId);
        Assert.Equal(Alice.OpenId?.Value, result.Identity.OpenId);
        Assert.Equal(Alice.AppId?.Value, result.Identity.AppId);
        Assert.Equal(Alice.Channel, result.Identity.Channel);
        Assert.Equal(Alice.LegacyUserId, result.Identity.LegacyUserId);
        Assert.Equal(algorithm, result.Identity.Algorithm);
    }

    [Fact]
    public void Es256AssertionVerifiesWithThePublicKeyGivenAsPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(TestKeys.Es256PrivateKeyPem);
        var options = new IdentityAssertionVerifierOptions { Audience = Orders };
        options.Es256PublicKeys[TestKeys.Es256Id] = key.ExportSubjectPublicKeyInfoPem();
        using var verifier = new IdentityAssertionVerifier(options, testbed.Time);

        Assert.True(verifier.Verify(Headers(testbed.Sign(AssertionFormat.Es256)), "GET", OrderPath).Succeeded);
    }

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public void CapturedAssertionFailsOnceItsSixtySecondsAndTheClockSkewHavePassed(string algorithm)
    {
        var verifier = testbed.Verifier();
        var headers = Headers(testbed.Sign(algorithm));

        testbed.Time.Advance(TimeSpan.FromSeconds(64));
        Assert.True(verifier.Verify(headers, "GET", OrderPath).Succeeded);

        testbed.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AssertionFailureReasons.Expired, verifier.Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Theory]
    [InlineData("/orders/43?x=1")]
    [InlineData("/orders/42?x=2")]
    [InlineData("/orders/42")]
    [InlineData("/orders/42?x=1&admin=true")]
    [InlineData("/ORDERS/42?x=1")]
    [InlineData("/orders/%34%32?x=1")]
    public void CapturedAssertionFailsOnAnotherPathOrQuery(string replayedTo)
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256));

        Assert.Equal(AssertionFailureReasons.WrongPath, testbed.Verifier().Verify(headers, "GET", replayedTo).FailureReason);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    public void CapturedAssertionFailsWithAnotherMethod(string replayedWith)
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Es256));

        Assert.Equal(AssertionFailureReasons.WrongMethod, testbed.Verifier().Verify(headers, replayedWith, OrderPath).FailureReason);
    }

    [Fact]
    public void MethodIsComparedWithoutRegardToCase()
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256, method: "get"));

        Assert.True(testbed.Verifier().Verify(headers, "GET", OrderPath).Succeeded);
    }

    [Fact]
    public void CapturedEs256AssertionFailsAtAnotherAudienceEvenThoughTheKeyIsShared()
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Es256, audience: Billing));

        Assert.Equal(AssertionFailureReasons.WrongAudience, testbed.Verifier(Orders).Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void CapturedHs256AssertionFailsAtAnotherAudienceBecauseItsKeyDiffers()
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256, audience: Billing));

        Assert.Equal(AssertionFailureReasons.BadSignature, testbed.Verifier(Orders).Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void ReplayWithinTheLifetimeToTheSameMethodAndTargetIsAcceptedByDesignAndCarriesAUniqueTokenId()
    {
        var verifier = testbed.Verifier();
        var first = testbed.Sign(AssertionFormat.Hs256);
        var second = testbed.Sign(AssertionFormat.Hs256);

        var replayed = verifier.Verify(Headers(first), "GET", OrderPath);
        var again = verifier.Verify(Headers(first), "GET", OrderPath);

        Assert.True(replayed.Succeeded && again.Succeeded);
        Assert.NotEqual(replayed.Identity!.TokenId, verifier.Verify(Headers(second), "GET", OrderPath).Identity!.TokenId);
        Assert.Equal(22, replayed.Identity.TokenId.Length);
    }

    [Fact]
    public void AssertionIssuedInTheFutureBeyondTheClockSkewIsRefused()
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256));
        var verifierClock = new FakeTimeProvider(Start - TimeSpan.FromSeconds(6));
        var options = new IdentityAssertionVerifierOptions { Audience = Orders };
        options.Hs256Keys[TestKeys.ActiveHs256Id] = AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);

        var result = new IdentityAssertionVerifier(options, verifierClock).Verify(headers, "GET", OrderPath);

        Assert.Equal(AssertionFailureReasons.NotYetValid, result.FailureReason);
    }

    public void Dispose() => testbed.Dispose();
}
