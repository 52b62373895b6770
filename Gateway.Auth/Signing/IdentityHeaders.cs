namespace Gateway.Auth.Signing;

/// <summary>
/// The request headers the gateway injects for a signed-in user. The forwarding transform strips every one of
/// them from client requests (by normalised name) before injecting its own, so a downstream only ever sees values
/// the gateway wrote — and the assertion lets it check that.
/// </summary>
public static class IdentityHeaders
{
    public const string UnionId = "X-Union-Id";
    public const string PersonId = "X-Person-Id";
    public const string OpenId = "X-OpenId";
    public const string AppId = "X-AppId";
    public const string LegacyUserId = "X-Legacy-User-Id";
    public const string Assertion = "X-Union-Id-Assertion";

    /// <summary>Every injected header, the assertion included.</summary>
    public static IReadOnlyList<string> All { get; } = [UnionId, PersonId, OpenId, AppId, LegacyUserId, Assertion];

    /// <summary>
    /// Each identity header with the value it carries, in injection order; its claim must carry the same value
    /// (X-Union-Id ↔ uid, X-Person-Id ↔ pid, X-OpenId ↔ oid, X-AppId ↔ app, X-Legacy-User-Id ↔ lid).
    /// </summary>
    internal static IReadOnlyList<(string Header, Func<AssertedIdentity, string?> Value)> Bound { get; } =
    [
        (UnionId, identity => identity.UnionId?.Value),
        (PersonId, identity => identity.PersonId?.ToString()),
        (OpenId, identity => identity.OpenId?.Value),
        (AppId, identity => identity.AppId?.Value),
        (LegacyUserId, identity => identity.LegacyUserId),
    ];
}
