namespace Gateway.Auth.Authorization;

/// <summary>
/// Settings under <c>Gateway:Authorization</c>: named route policies and who holds which role, declared without code.
/// <code>
/// "Gateway": { "Authorization": {
///   "Policies": {
///     "mini-program-only": { "RequireClaims": [ { "Type": "channel", "Values": [ "mini_program" ] } ] },
///     "verified-phone": { "RequireClaims": [ { "Type": "phone_number_verified" } ] },
///     "staff": { "RequireRoles": [ "staff" ] } },
///   "Roles": { "staff": { "UnionIds": [ "o6_bmasdasdsad6_2sgVt7hMZOPfL" ], "PersonIds": [ 12 ] } } } }
/// </code>
/// </summary>
public sealed class GatewayAuthorizationOptions
{
    public const string SectionName = "Gateway:Authorization";

    /// <summary>Each policy needs a signed-in gateway session and every requirement it lists.</summary>
    public Dictionary<string, GatewayPolicyOptions> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Role name → the people who hold it; a session of one of them carries the role claim.</summary>
    public Dictionary<string, GatewayRoleOptions> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class GatewayPolicyOptions
{
    /// <summary>Every listed claim must be present (with one of its values, when values are listed).</summary>
    public List<ClaimRequirementOptions> RequireClaims { get; } = [];

    /// <summary>The user must hold at least one of these roles.</summary>
    public List<string> RequireRoles { get; } = [];
}

public sealed class ClaimRequirementOptions
{
    /// <summary>A claim type, e.g. <c>channel</c> or <c>phone_number_verified</c> (see <c>GatewayClaimTypes</c>).</summary>
    public string? Type { get; set; }

    /// <summary>Accepted values (ordinal); empty means the claim only has to be present.</summary>
    public List<string> Values { get; } = [];
}

public sealed class GatewayRoleOptions
{
    public List<string> UnionIds { get; } = [];

    public List<long> PersonIds { get; } = [];
}
