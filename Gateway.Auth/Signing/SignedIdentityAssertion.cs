namespace Gateway.Auth.Signing;

/// <summary>
/// A signed assertion and every header to inject with it: the identity headers whose values the token binds, and
/// <see cref="IdentityHeaders.Assertion"/> carrying the token. Absent identity values have no header.
/// </summary>
public sealed record SignedIdentityAssertion(string Token, IReadOnlyList<KeyValuePair<string, string>> Headers);
