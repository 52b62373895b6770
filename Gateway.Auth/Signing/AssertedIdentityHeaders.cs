namespace Gateway.Auth.Signing;

/// <summary>
/// Each identity header with the value it carries, in injection order; its claim carries the same value
/// (X-Union-Id ↔ uid, X-Person-Id ↔ pid, X-OpenId ↔ oid, X-AppId ↔ app, X-Legacy-User-Id ↔ lid), which is what
/// the verifier in Gateway.IdentityAssertions checks.
/// </summary>
internal static class AssertedIdentityHeaders
{
    public static IReadOnlyList<(string Header, Func<AssertedIdentity, string?> Value)> Bound { get; } =
    [
        (IdentityHeaders.UnionId, identity => identity.UnionId),
        (IdentityHeaders.PersonId, identity => identity.PersonId),
        (IdentityHeaders.OpenId, identity => identity.OpenId),
        (IdentityHeaders.AppId, identity => identity.AppId),
        (IdentityHeaders.LegacyUserId, identity => identity.LegacyUserId),
    ];
}
