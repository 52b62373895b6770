using Microsoft.Extensions.Options;

namespace Gateway.Auth.Authorization;

internal sealed class GatewayAuthorizationOptionsValidator : IValidateOptions<GatewayAuthorizationOptions>
{
    private const string Section = GatewayAuthorizationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GatewayAuthorizationOptions options)
    {
        var failures = new List<string>();
        foreach (var (policyName, policy) in options.Policies)
        {
            var key = $"{Section}:Policies:{policyName}";
            if (!IsName(policyName))
            {
                failures.Add($"{key}: a policy name is letters, digits, '-', '_' or '.' (at most 64).");
            }

            if (GatewayPolicies.Reserved.Contains(policyName, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{key}: '{policyName}' is a built-in policy name ({string.Join(", ", GatewayPolicies.Reserved)}); choose another.");
            }

            if (policy.RequireClaims.Count == 0 && policy.RequireRoles.Count == 0)
            {
                failures.Add($"{key} lists no RequireClaims and no RequireRoles; a route that only needs a session uses '{GatewayPolicies.Required}'.");
            }

            for (var i = 0; i < policy.RequireClaims.Count; i++)
            {
                var claim = policy.RequireClaims[i];
                if (string.IsNullOrWhiteSpace(claim.Type))
                {
                    failures.Add($"{key}:RequireClaims:{i}:Type is required.");
                }

                if (claim.Values.Any(string.IsNullOrEmpty))
                {
                    failures.Add($"{key}:RequireClaims:{i}:Values has an empty value.");
                }
            }

            for (var i = 0; i < policy.RequireRoles.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(policy.RequireRoles[i]))
                {
                    failures.Add($"{key}:RequireRoles:{i} is empty.");
                }
            }
        }

        foreach (var (roleName, role) in options.Roles)
        {
            var key = $"{Section}:Roles:{roleName}";
            if (!IsName(roleName))
            {
                failures.Add($"{key}: a role name is letters, digits, '-', '_' or '.' (at most 64).");
            }

            if (role.UnionIds.Count == 0 && role.PersonIds.Count == 0)
            {
                failures.Add($"{key} lists no UnionIds and no PersonIds.");
            }

            if (role.UnionIds.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"{key}:UnionIds has an empty value.");
            }

            if (role.PersonIds.Any(id => id <= 0))
            {
                failures.Add($"{key}:PersonIds must be positive person ids.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
