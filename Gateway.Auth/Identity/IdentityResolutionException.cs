namespace Gateway.Auth.Identity;

/// <summary>Machine-readable reasons a login is refused; the login endpoints map them to HTTP.</summary>
public static class IdentityErrorCodes
{
    /// <summary>An Official Account "snapshot page" user: a virtual visitor that must not become a person.</summary>
    public const string SnapshotUser = "snapshot_user";

    public const string PersonDisabled = "person_disabled";

    /// <summary>An identifier or profile field is missing, oversized or contains characters WeChat never sends.</summary>
    public const string InvalidIdentity = "invalid_identity";

    /// <summary>The openid is already bound to a person holding a different unionid.</summary>
    public const string IdentityConflict = "identity_conflict";
}

public sealed class IdentityResolutionException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
