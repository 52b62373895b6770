using Gateway.Auth.Signing;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>
/// Channels <c>oidc</c> (a person named by provider and subject) and <c>client</c> (an API client, no person): what
/// the verifier exposes, and the shapes it refuses as malformed even when the gateway's key signed them.
/// </summary>
public sealed class OidcAndClientAssertionTests : IDisposable
{
    private readonly AssertionTestbed _testbed = Standard();

    private static string OrdersKey => AudienceKey(TestKeys.ActiveHs256Secret, Orders, TestKeys.ActiveHs256Id);

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public void AnOidcPersonWithoutWeChatIdentifiersVerifiesWithProviderSubjectEmailAndRoles(string algorithm)
    {
        var assertion = _testbed.Sign(algorithm, identity: Olivia);

        var result = _testbed.Verifier().Verify(Headers(assertion), "GET", OrderPath);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(
            (AssertionChannels.Oidc, "corp", "248289761001", "olivia@example.com", (string?)null),
            (result.Identity.Channel, result.Identity.Provider, result.Identity.Subject, result.Identity.Email, result.Identity.ClientId));
        Assert.Equal(["staff", "orders-admin"], result.Identity.Roles);
        Assert.Equal(new PersonId(1002), result.Identity.PersonId);
        Assert.Null(result.Identity.UnionId);
        Assert.Null(result.Identity.OpenId);
        Assert.Null(result.Identity.AppId);
        Assert.Equal([IdentityHeaders.PersonId, IdentityHeaders.Assertion], assertion.Headers.Select(h => h.Key));
    }

    [Fact]
    public void AnApiClientTokenVerifiesWithItsClientIdAndNoPerson()
    {
        var assertion = _testbed.Sign(AssertionFormat.Hs256, identity: ReportingClient);

        var result = _testbed.Verifier().Verify(Headers(assertion), "GET", OrderPath);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal((AssertionChannels.Client, "reporting-batch", "corp"), (result.Identity.Channel, result.Identity.ClientId, result.Identity.Provider));
        Assert.Null(result.Identity.PersonId);
        Assert.Null(result.Identity.Subject);
        Assert.Empty(result.Identity.Roles);
        Assert.Equal([IdentityHeaders.Assertion], assertion.Headers.Select(h => h.Key));
    }

    [Fact]
    public void AWeChatPersonHasNoneOfTheNewFields()
    {
        var result = _testbed.Verifier().Verify(Headers(_testbed.Sign(AssertionFormat.Hs256)), "GET", OrderPath);

        Assert.True(result.Succeeded, result.FailureReason);
        Assert.Equal(((string?)null, (string?)null, (string?)null, (string?)null), (result.Identity.Provider, result.Identity.Subject, result.Identity.Email, result.Identity.ClientId));
        Assert.Empty(result.Identity.Roles);
    }

    /// <summary>Signed by the gateway's own signer, which writes whatever identity it is given.</summary>
    public static TheoryData<string, AssertedIdentity> ShapesTheChannelForbids => new()
    {
        { "client with a person id", ReportingClient with { PersonId = new PersonId(1002) } },
        { "client without client id", ReportingClient with { ClientId = null } },
        { "oidc without provider", Olivia with { Provider = null } },
        { "oidc without subject", Olivia with { Subject = null } },
        { "oidc with an empty subject", Olivia with { Subject = "" } },
    };

    [Theory]
    [MemberData(nameof(ShapesTheChannelForbids))]
    public void AnIdentityTheChannelDoesNotAllowIsMalformedEvenWhenSigned(string shape, AssertedIdentity identity)
    {
        var assertion = _testbed.Sign(AssertionFormat.Hs256, identity: identity);

        Assert.True(AssertionFailureReasons.Malformed == _testbed.Verifier().Verify(Headers(assertion), "GET", OrderPath).FailureReason, shape);
    }

    [Theory]
    [InlineData("\"prv\":\"corp\"", "\"prv\":7")]
    [InlineData("\"prv\":\"corp\"", "\"prv\":\"\"")]
    [InlineData("\"sbj\":\"248289761001\"", "\"sbj\":248289761001")]
    [InlineData("\"eml\":\"olivia@example.com\"", "\"eml\":[\"olivia@example.com\"]")]
    [InlineData("\"rol\":[\"staff\",\"orders-admin\"]", "\"rol\":\"staff\"")]
    [InlineData("\"rol\":[\"staff\",\"orders-admin\"]", "\"rol\":[\"staff\",1]")]
    [InlineData("\"rol\":[\"staff\",\"orders-admin\"]", "\"rol\":[\"staff\",null]")]
    [InlineData("\"rol\":[\"staff\",\"orders-admin\"]", "\"rol\":[[\"staff\"]]")]
    [InlineData("\"rol\":[\"staff\",\"orders-admin\"]", "\"rol\":{\"staff\":true}")]
    [InlineData("\"eml\":", "\"cid\":true,\"eml\":")]
    public void CorrectlySignedNewClaimsOfTheWrongJsonTypeAreMalformed(string find, string replace)
    {
        var assertion = _testbed.Sign(AssertionFormat.Hs256, identity: Olivia);
        var payload = PayloadOf(assertion.Token);
        Assert.Contains(find, payload, StringComparison.Ordinal);
        var headers = Headers(assertion);
        headers[IdentityHeaders.Assertion] = Forge(
            JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id), payload.Replace(find, replace, StringComparison.Ordinal), Hmac(OrdersKey));

        Assert.Equal(AssertionFailureReasons.Malformed, _testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    [Fact]
    public void NullOrEmptyRolesMeanNoRoles()
    {
        var assertion = _testbed.Sign(AssertionFormat.Hs256, identity: Olivia);
        var payload = PayloadOf(assertion.Token);
        var results = new[] { "\"rol\":null", "\"rol\":[]" }.Select(roles =>
        {
            var headers = Headers(assertion);
            headers[IdentityHeaders.Assertion] = Forge(JwsHeader(AssertionFormat.Hs256, TestKeys.ActiveHs256Id),
                payload.Replace("\"rol\":[\"staff\",\"orders-admin\"]", roles, StringComparison.Ordinal), Hmac(OrdersKey));
            return _testbed.Verifier().Verify(headers, "GET", OrderPath);
        }).ToList();

        Assert.All(results, result => Assert.True(result.Succeeded, result.FailureReason));
        Assert.All(results, result => Assert.Empty(result.Identity!.Roles));
    }

    [Fact]
    public void AnXPersonIdHeaderBesideAClientTokenIsAHeaderMismatch()
    {
        var headers = Headers(_testbed.Sign(AssertionFormat.Hs256, identity: ReportingClient));
        headers[IdentityHeaders.PersonId] = "1002";

        Assert.Equal(AssertionFailureReasons.HeaderMismatch, _testbed.Verifier().Verify(headers, "GET", OrderPath).FailureReason);
    }

    public void Dispose() => _testbed.Dispose();
}
