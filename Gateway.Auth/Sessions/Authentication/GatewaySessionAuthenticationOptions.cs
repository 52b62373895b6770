using Microsoft.AspNetCore.Authentication;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>
/// The gateway-session scheme's options. Where the session travels (cookie name) and how long it lives stay under
/// <c>Sessions</c>: the issuer and the scheme read the same settings.
/// </summary>
public sealed class GatewaySessionAuthenticationOptions : AuthenticationSchemeOptions
{
    public GatewaySessionAuthenticationOptions()
    {
        Events = new GatewaySessionEvents();
    }

    public new GatewaySessionEvents Events
    {
        get => (GatewaySessionEvents)base.Events!;
        set => base.Events = value;
    }
}
