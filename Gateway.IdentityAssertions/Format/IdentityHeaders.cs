namespace Gateway.IdentityAssertions;

/// <summary>
/// The request headers the gateway injects for a signed-in user. The gateway strips every one of them from client
/// requests (by normalised name) before injecting its own, so a downstream only ever sees values the gateway
/// wrote — and the assertion lets it check that.
/// </summary>
public static class IdentityHeaders
{
    public const string UnionId = "X-Union-Id";
    public const string PersonId = "X-Person-Id";
    public const string OpenId = "X-OpenId";
    public const string AppId = "X-AppId";
    public const string LegacyUserId = "X-Legacy-User-Id";
    public const string Assertion = "X-Union-Id-Assertion";

    private const string UnionIdPrefix = "x-union-id";

    /// <summary>Every injected header, the assertion included.</summary>
    public static IReadOnlyList<string> All { get; } = [UnionId, PersonId, OpenId, AppId, LegacyUserId, Assertion];

    private static readonly HashSet<string> NormalisedNames = new(All.Select(Normalise), StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="name"/> reads as one of <see cref="All"/> the way PHP, CGI and many frameworks read
    /// headers: case-insensitive, with '_' equal to '-' (<c>X_Union_Id</c> is <c>X-Union-Id</c> there). Every name
    /// starting with X-Union-Id counts as well, as the gateway strips those too.
    /// </summary>
    public static bool IsIdentityHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalised = Normalise(name);
        return NormalisedNames.Contains(normalised) || normalised.StartsWith(UnionIdPrefix, StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="name"/> is an identity header spelled as the gateway writes it (ignoring case, as HTTP does).</summary>
    internal static bool IsCanonical(string name) => All.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static string Normalise(string name) => name.Replace('_', '-').ToLowerInvariant();
}
