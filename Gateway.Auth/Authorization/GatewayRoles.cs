using Gateway.IdentityAssertions;

namespace Gateway.Auth.Authorization;

/// <summary>The roles <c>Gateway:Authorization:Roles</c> assigns to a person.</summary>
internal static class GatewayRoles
{
    public static IEnumerable<string> Of(GatewayAuthorizationOptions options, PersonId personId, UnionId? unionId)
    {
        foreach (var (role, members) in options.Roles)
        {
            if (members.PersonIds.Contains(personId.Value) || unionId is { } known && members.UnionIds.Contains(known.Value, StringComparer.Ordinal))
            {
                yield return role;
            }
        }
    }
}
