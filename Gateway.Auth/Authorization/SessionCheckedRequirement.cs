using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Authorization;

/// <summary>
/// Met unless the request presented a session the store could not check. Part of every gateway policy, so a store
/// outage is never an anonymous pass, not even on an <c>optional</c> route: the refusal reaches the gateway-session
/// challenge, which answers 503.
/// </summary>
internal sealed class SessionCheckedRequirement : AuthorizationHandler<SessionCheckedRequirement>, IAuthorizationRequirement
{
    public static readonly SessionCheckedRequirement Instance = new();

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionCheckedRequirement requirement)
    {
        if (context.Resource is not HttpContext http || http.Features.Get<SessionStoreOutage>() is null)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
