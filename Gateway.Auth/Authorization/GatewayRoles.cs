namespace Gateway.Auth.Authorization;

/// <summary>The roles <c>Gateway:Authorization:Roles</c> assigns to a person.</summary>
internal static class GatewayRoles
{
    public static IEnumerable<string> Of(GatewayAuthorizationOptions options, long personId, string? unionId)
    {
        foreach (var (role, members) in options.Roles)
        {
            if (members.PersonIds.Contains(personId) || unionId is not null && members.UnionIds.Contains(unionId, StringComparer.Ordinal))
            {
                yield return role;
            }
        }
    }
}
