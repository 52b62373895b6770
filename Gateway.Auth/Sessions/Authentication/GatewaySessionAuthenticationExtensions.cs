using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewaySessionAuthenticationExtensions
{
    /// <summary>
    /// The gateway-session scheme, named <see cref="GatewaySessionDefaults.AuthenticationScheme"/> (the route
    /// policies and the identity transform look for that name). Needs <c>AddGatewaySessions</c>, which issues the
    /// sessions this scheme reads. It is the default scheme unless the application names another: the route
    /// policies name no scheme, so they judge the principal <c>UseAuthentication</c> builds with the default.
    /// </summary>
    public static AuthenticationBuilder AddGatewaySession(this AuthenticationBuilder builder, Action<GatewaySessionAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<AuthenticationOptions>(options => options.DefaultScheme ??= GatewaySessionDefaults.AuthenticationScheme);
        return builder.AddScheme<GatewaySessionAuthenticationOptions, GatewaySessionHandler>(GatewaySessionDefaults.AuthenticationScheme, configure);
    }
}
