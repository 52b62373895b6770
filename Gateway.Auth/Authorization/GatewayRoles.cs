using Gateway.IdentityAssertions;

namespace Gateway.Auth.Authorization;

/// <summary>The roles <c>Gateway:Authorization:Roles</c> assigns to a person.</summary>
internal static class GatewayRoles
{
    /// <summary>Checked on every session check: without configured roles it allocates nothing.</summary>
    public static IReadOnlyList<string> Of(GatewayAuthorizationOptions options, PersonId personId, UnionId? unionId)
    {
        if (options.Roles.Count == 0)
        {
            return [];
        }

        List<string>? roles = null;
        foreach (var (role, members) in options.Roles)
        {
            if (members.PersonIds.Contains(personId.Value) || unionId is { } known && members.UnionIds.Contains(known.Value, StringComparer.Ordinal))
            {
                (roles ??= []).Add(role);
            }
        }

        return roles is null ? [] : roles;
    }
}
