using System.Text.Encodings.Web;
using Gateway.Auth.Authorization;
using Gateway.Auth.Http;
using Gateway.Auth.Login;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>
/// The gateway session as an ASP.NET Core authentication scheme: reads the <c>Bearer wgs1.</c> token or the
/// session cookie once per request, checks it through <see cref="SessionValidator"/> and builds the principal.
/// Challenge answers 401 JSON, or sends browser navigation to the endpoint's login path, or 503 when a presented
/// session could not be checked; forbid answers 403 JSON; sign-out ends the presented sessions.
/// </summary>
internal sealed class GatewaySessionHandler(
    IOptionsMonitor<GatewaySessionAuthenticationOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    SessionValidator validator,
    IOptions<SessionOptions> sessionOptions,
    IOptions<GatewayAuthorizationOptions> authorization)
    : SignOutAuthenticationHandler<GatewaySessionAuthenticationOptions>(options, loggers, encoder)
{
    private new GatewaySessionEvents Events => (GatewaySessionEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new GatewaySessionEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (AsksForNoAuthorization(Context.GetEndpoint())
            || SessionCredentials.ReadToken(Request, sessionOptions.Value.CookieName) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        ActiveSession? session;
        try
        {
            session = await validator.ValidateAsync(token, Context.RequestAborted);
        }
        catch (EphemeralStoreUnavailableException exception)
        {
            SessionLog.StoreUnavailable(Logger, exception.Message);
            Context.Features.Set(new SessionStoreOutage(exception));
            return AuthenticateResult.Fail(exception);
        }

        if (session is null)
        {
            return AuthenticateResult.Fail("The presented session is unknown, expired or revoked.");
        }

        var principal = GatewaySessionPrincipal.Create(session, GatewayRoles.Of(authorization.Value, session.PersonId, session.UnionId), Scheme.Name);
        var validated = new GatewaySessionValidatedContext(Context, Scheme, Options, principal, session);
        await Events.Validated(validated);
        if (validated.Result is { } decided)
        {
            return decided;
        }

        return validated.Principal is { } accepted
            ? AuthenticateResult.Success(new AuthenticationTicket(accepted, validated.Properties, Scheme.Name))
            : AuthenticateResult.Fail("The session was refused by GatewaySessionEvents.OnValidated.");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var storeUnavailable = Context.Features.Get<SessionStoreOutage>() is not null;
        var loginPath = Context.GetEndpoint()?.Metadata.GetMetadata<LoginPathMetadata>()?.Path;
        var challenge = new GatewaySessionChallengeContext(Context, Scheme, Options, properties, loginPath, storeUnavailable);
        await Events.Challenge(challenge);
        if (challenge.Handled)
        {
            return;
        }

        if (storeUnavailable)
        {
            await ErrorResponse.WriteAsync(Context, StatusCodes.Status503ServiceUnavailable, SessionErrorCodes.StoreUnavailable,
                "Sessions cannot be checked right now; retry shortly.");
        }
        else if (loginPath is not null && IsBrowserNavigation(Request))
        {
            // Exactly the target the browser sent, never a host: re-encoding the decoded path would change
            // what %25 and %2F mean. The login flow still validates it as a local path (docs/security.md §4).
            var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
                ? raw
                : Request.GetEncodedPathAndQuery();
            var returnUrl = ReturnUrlPolicy.ToReturnUrl(target);
            Response.Headers.CacheControl = "no-store";
            Response.Redirect(loginPath + (loginPath.Contains('?') ? '&' : '?') + "returnUrl=" + Uri.EscapeDataString(returnUrl));
        }
        else
        {
            await ErrorResponse.WriteAsync(Context, StatusCodes.Status401Unauthorized, SessionErrorCodes.SessionRequired,
                "This route needs a signed-in user; log in first.");
        }
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var forbidden = new GatewaySessionForbiddenContext(Context, Scheme, Options, properties);
        await Events.Forbidden(forbidden);
        if (!forbidden.Handled)
        {
            await ErrorResponse.WriteAsync(Context, StatusCodes.Status403Forbidden, SessionErrorCodes.Forbidden,
                "The signed-in user may not use this route.");
        }
    }

    /// <summary>Ends every session the request presents (bearer and cookie) and deletes the cookie.</summary>
    /// <exception cref="EphemeralStoreUnavailableException">The store cannot answer.</exception>
    protected override async Task HandleSignOutAsync(AuthenticationProperties? properties)
    {
        var cookieName = sessionOptions.Value.CookieName;
        foreach (var token in SessionCredentials.ReadAllTokens(Request, cookieName).ToList())
        {
            await validator.EndAsync(token, Context.RequestAborted);
        }

        SessionCredentials.DeleteCookie(Response, cookieName);
    }

    /// <summary>
    /// An endpoint that allows anonymous access and names no policy (a route whose policy is <c>anonymous</c>)
    /// never reads a session: no store round trip, and a store outage cannot touch it.
    /// </summary>
    private static bool AsksForNoAuthorization(Endpoint? endpoint) =>
        endpoint?.Metadata is { } metadata
        && metadata.GetMetadata<IAllowAnonymous>() is not null
        && metadata.GetMetadata<IAuthorizeData>() is null
        && metadata.GetMetadata<AuthorizationPolicy>() is null;

    /// <summary>
    /// A page load the user can be sent away from: GET or HEAD, not XHR, and either Fetch Metadata says navigate
    /// or (older browsers) the client asks for HTML.
    /// </summary>
    private static bool IsBrowserNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            || string.Equals(request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var mode = request.Headers["Sec-Fetch-Mode"];
        return mode.Count > 0
            ? string.Equals(mode, "navigate", StringComparison.OrdinalIgnoreCase)
            : request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}
