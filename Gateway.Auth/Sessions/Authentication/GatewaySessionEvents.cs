using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>
/// The extension points of the gateway-session scheme, in the style of <c>CookieAuthenticationEvents</c>: set the
/// delegates, or derive and override, and register through <see cref="GatewaySessionAuthenticationOptions.Events"/>.
/// </summary>
public class GatewaySessionEvents
{
    /// <summary>After the store confirmed the session and its principal is built: add claims, or reject it.</summary>
    public Func<GatewaySessionValidatedContext, Task> OnValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401, login redirect or 503 is written; call <c>HandleResponse()</c> to write your own.</summary>
    public Func<GatewaySessionChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 403 is written; call <c>HandleResponse()</c> to write your own.</summary>
    public Func<GatewaySessionForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    public virtual Task Validated(GatewaySessionValidatedContext context) => OnValidated(context);

    public virtual Task Challenge(GatewaySessionChallengeContext context) => OnChallenge(context);

    public virtual Task Forbidden(GatewaySessionForbiddenContext context) => OnForbidden(context);
}

/// <summary>
/// A valid session and the principal built from it: add claims to <see cref="ResultContext{TOptions}.Principal"/>,
/// or refuse the session with <c>Fail(...)</c>.
/// </summary>
public sealed class GatewaySessionValidatedContext : ResultContext<GatewaySessionAuthenticationOptions>
{
    public GatewaySessionValidatedContext(
        HttpContext context, AuthenticationScheme scheme, GatewaySessionAuthenticationOptions options, ClaimsPrincipal principal, ActiveSession session)
        : base(context, scheme, options)
    {
        Principal = principal;
        Session = session;
    }

    public ActiveSession Session { get; }
}

/// <summary>
/// A request the route refused for want of a session. <see cref="LoginPath"/> is the route's login flow (null
/// when it has none); <see cref="StoreUnavailable"/> is true when a presented session could not be checked.
/// </summary>
public sealed class GatewaySessionChallengeContext(
    HttpContext context, AuthenticationScheme scheme, GatewaySessionAuthenticationOptions options, AuthenticationProperties? properties,
    string? loginPath, bool storeUnavailable)
    : PropertiesContext<GatewaySessionAuthenticationOptions>(context, scheme, options, properties)
{
    public string? LoginPath { get; } = loginPath;

    public bool StoreUnavailable { get; } = storeUnavailable;

    public bool Handled { get; private set; }

    /// <summary>The event wrote the response; the gateway's default answer is skipped.</summary>
    public void HandleResponse() => Handled = true;
}

/// <summary>A signed-in caller the route's policy refused.</summary>
public sealed class GatewaySessionForbiddenContext(
    HttpContext context, AuthenticationScheme scheme, GatewaySessionAuthenticationOptions options, AuthenticationProperties? properties)
    : PropertiesContext<GatewaySessionAuthenticationOptions>(context, scheme, options, properties)
{
    public bool Handled { get; private set; }

    /// <summary>The event wrote the response; the gateway's default 403 is skipped.</summary>
    public void HandleResponse() => Handled = true;
}
