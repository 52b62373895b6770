using Gateway.Auth.Signing;
using Gateway.Auth.Verification;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>
/// Every injected identity header must equal its claim: a header added, changed or removed after signing (by a
/// client the gateway failed to strip, or a hop in between) makes the whole assertion fail.
/// </summary>
public sealed class HeaderBindingTests : IDisposable
{
    private readonly AssertionTestbed testbed = Standard();

    [Fact]
    public void SignerInjectsEveryKnownIdentityValueAndTheAssertion()
    {
        var assertion = testbed.Sign(AssertionFormat.Hs256);

        Assert.Equal(
            [
                new(IdentityHeaders.UnionId, Alice.UnionId?.Value!), new(IdentityHeaders.PersonId, Alice.PersonId?.ToString()!),
                new(IdentityHeaders.OpenId, Alice.OpenId?.Value!), new(IdentityHeaders.AppId, Alice.AppId?.Value!),
                new(IdentityHeaders.LegacyUserId, Alice.LegacyUserId!), new(IdentityHeaders.Assertion, assertion.Token),
            ],
            assertion.Headers);
    }

    [Theory]
    [InlineData(IdentityHeaders.UnionId)]
    [InlineData(IdentityHeaders.PersonId)]
    [InlineData(IdentityHeaders.OpenId)]
    [InlineData(IdentityHeaders.AppId)]
    [InlineData(IdentityHeaders.LegacyUserId)]
    public void IdentityHeaderChangedAfterSigningFails(string header)
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Es256));
        headers[header] = "someone-else";

        Assert.Equal(AssertionFailureReasons.HeaderMismatch, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Theory]
    [InlineData(IdentityHeaders.UnionId)]
    [InlineData(IdentityHeaders.LegacyUserId)]
    public void IdentityHeaderRemovedAfterSigningFails(string header)
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256));
        headers.Remove(header);

        Assert.Equal(AssertionFailureReasons.HeaderMismatch, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void DuplicatedIdentityHeaderFailsEvenWhenOneCopyMatches()
    {
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256));
        headers.Append(IdentityHeaders.PersonId, "1002");

        Assert.Equal(AssertionFailureReasons.HeaderMismatch, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void IdentityHeaderWithoutAClaimFails()
    {
        var withoutLegacyId = Alice with { LegacyUserId = null };
        var headers = Headers(testbed.Sign(AssertionFormat.Hs256, identity: withoutLegacyId));
        headers[IdentityHeaders.LegacyUserId] = "1";

        Assert.Equal(AssertionFailureReasons.HeaderMismatch, testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void HeaderNamesAreMatchedWithoutRegardToCaseAsHttpRequires()
    {
        var assertion = testbed.Sign(AssertionFormat.Hs256);
        var headers = new HeaderDictionary();
        foreach (var (name, value) in assertion.Headers)
        {
            headers[name.ToLowerInvariant()] = value;
        }

        Assert.True(testbed.Verifier().Verify(headers, "GET", OrderPath).Succeeded);
    }

    public void Dispose() => testbed.Dispose();
}
