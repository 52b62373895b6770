using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Authorization;

/// <summary>Adds <c>optional</c>, <c>required</c> and every policy declared under <c>Gateway:Authorization:Policies</c>.</summary>
internal sealed class GatewayAuthorizationSetup(IOptions<GatewayAuthorizationOptions> declared) : IConfigureOptions<AuthorizationOptions>
{
    public void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(GatewayPolicies.Optional, Session().Build());
        options.AddPolicy(GatewayPolicies.Required, Session().RequireAuthenticatedUser().Build());
        foreach (var (name, policy) in declared.Value.Policies)
        {
            options.AddPolicy(name, Build(policy));
        }
    }

    private static AuthorizationPolicy Build(GatewayPolicyOptions declared)
    {
        var policy = Session().RequireAuthenticatedUser();
        foreach (var claim in declared.RequireClaims)
        {
            policy.RequireClaim(claim.Type!, claim.Values);
        }

        if (declared.RequireRoles.Count > 0)
        {
            policy.RequireRole(declared.RequireRoles);
        }

        return policy.Build();
    }

    // No scheme named: the policies judge the principal UseAuthentication already built with the default scheme
    // (the gateway session). Naming it made the policy evaluator authenticate a second time and merge the result
    // into a new principal on every request.
    private static AuthorizationPolicyBuilder Session() =>
        new AuthorizationPolicyBuilder().AddRequirements(SessionCheckedRequirement.Instance);
}
