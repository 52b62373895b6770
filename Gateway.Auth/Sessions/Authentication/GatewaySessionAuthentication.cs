using System.Runtime.ExceptionServices;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>For the gateway's own endpoints: the request's session through the scheme, read once per request.</summary>
internal static class GatewaySessionAuthentication
{
    /// <summary>The presented session when it is valid now; null when there is none.</summary>
    /// <exception cref="EphemeralStoreUnavailableException">A session was presented and the store could not check it.</exception>
    public static async Task<ActiveSession?> AuthenticateGatewaySessionAsync(this HttpContext context)
    {
        var result = await context.AuthenticateAsync(GatewaySessionDefaults.AuthenticationScheme);
        if (context.Features.Get<SessionStoreOutage>() is { } outage)
        {
            ExceptionDispatchInfo.Throw(outage.Exception);
        }

        return result.Succeeded ? GatewaySessionPrincipal.ReadSession(result.Principal) : null;
    }
}
