namespace Gateway.Auth.Identity;

/// <summary>
/// Bound from <c>Identity:Legacy</c>: lets resolution read the user id an existing system already has for a
/// person, so the gateway can front services with their own user table before anything is migrated.
/// </summary>
public sealed class LegacyIdentityOptions
{
    public const string SectionName = "Identity:Legacy";

    public bool Enabled { get; set; }

    /// <summary>Connection to the legacy database (same provider as <c>Storage:Relational</c>); the gateway's own store when empty. Use a read-only account.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>One SELECT returning the legacy user id in its first column; may use <c>@unionId</c>, <c>@appId</c>, <c>@openId</c>.</summary>
    public string? FindByUnionIdSql { get; set; }

    /// <summary>One SELECT returning the legacy user id in its first column; may use <c>@appId</c>, <c>@openId</c>.</summary>
    public string? FindByOpenIdSql { get; set; }
}
