using Gateway.Auth.Signing;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>
/// The rotation procedure of docs/identity-assertion.md, step by step, with requests in flight at every step:
/// no request fails until the old key is withdrawn, and after that only old-key assertions do.
/// </summary>
public sealed class KeyRotationTests
{
    private static readonly (string, string) OldMaster = (TestKeys.PreviousHs256Id, TestKeys.PreviousHs256Secret);
    private static readonly (string, string) NewMaster = (TestKeys.ActiveHs256Id, TestKeys.ActiveHs256Secret);

    [Fact]
    public void Hs256RotationFailsNoRequestAndWithdrawingTheOldKeyRejectsOnlyOldKeyAssertions()
    {
        using var before = new AssertionTestbed(Configuration([OldMaster], TestKeys.PreviousHs256Id, [], null));
        using var published = new AssertionTestbed(Configuration([OldMaster, NewMaster], TestKeys.PreviousHs256Id, [], null));
        using var switched = new AssertionTestbed(Configuration([OldMaster, NewMaster], TestKeys.ActiveHs256Id, [], null));

        var downstreamBefore = before.Verifier(Orders, OldMaster);
        var downstreamDuring = before.Verifier(Orders, OldMaster, NewMaster);
        var downstreamAfter = before.Verifier(Orders, NewMaster);
        var inFlightFromOldKey = Headers(before.Sign(AssertionFormat.Hs256));
        var fromPublished = Headers(published.Sign(AssertionFormat.Hs256));
        var fromSwitched = Headers(switched.Sign(AssertionFormat.Hs256));

        Assert.True(downstreamBefore.Verify(fromPublished, "GET", OrderPath).Succeeded);
        foreach (var headers in new[] { inFlightFromOldKey, fromPublished, fromSwitched })
        {
            var result = downstreamDuring.Verify(headers, "GET", OrderPath);
            Assert.True(result.Succeeded, result.FailureReason);
        }

        Assert.Equal(AssertionFailureReasons.UnknownKey, downstreamAfter.Verify(inFlightFromOldKey, "GET", OrderPath).FailureReason);
        Assert.True(downstreamAfter.Verify(fromSwitched, "GET", OrderPath).Succeeded);
        Assert.Equal(TestKeys.ActiveHs256Id, downstreamAfter.Verify(fromSwitched, "GET", OrderPath).Identity!.KeyId);
    }

    [Fact]
    public void Es256RotationFailsNoRequestAndWithdrawingTheOldKeyFromTheJwksRejectsOnlyOldKeyAssertions()
    {
        var oldKey = (TestKeys.Es256Id, TestKeys.Es256PrivateKeyPem);
        var newKey = ("es-2027-05", TestKeys.UnpublishedEs256PrivateKeyPem);
        using var before = new AssertionTestbed(Configuration([], null, [oldKey], TestKeys.Es256Id));
        using var published = new AssertionTestbed(Configuration([], null, [oldKey, newKey], TestKeys.Es256Id));
        using var switched = new AssertionTestbed(Configuration([], null, [oldKey, newKey], "es-2027-05"));
        using var withdrawn = new AssertionTestbed(Configuration([], null, [newKey], "es-2027-05"));

        var inFlightFromOldKey = Headers(before.Sign(AssertionFormat.Es256));
        var fromSwitched = Headers(switched.Sign(AssertionFormat.Es256));
        var downstreamDuring = published.Verifier(Orders);
        var downstreamAfter = withdrawn.Verifier(Orders);

        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(published.Jwks).RootElement.GetProperty("keys").GetArrayLength());
        Assert.True(downstreamDuring.Verify(inFlightFromOldKey, "GET", OrderPath).Succeeded);
        Assert.True(downstreamDuring.Verify(fromSwitched, "GET", OrderPath).Succeeded);
        Assert.Equal(AssertionFailureReasons.UnknownKey, downstreamAfter.Verify(inFlightFromOldKey, "GET", OrderPath).FailureReason);
        Assert.True(downstreamAfter.Verify(fromSwitched, "GET", OrderPath).Succeeded);
    }
}
