using Gateway.Auth.Http;
using Gateway.Auth.Login;
using Gateway.Auth.Sessions;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Applies the matched route's policy before YARP forwards: finds the caller's session (not on anonymous routes,
/// which never need one), and refuses a required route without one — 401 JSON for API and XHR clients, a
/// redirect into the route's login flow for browser navigation. Decided on the route YARP matched, never on the
/// raw path (docs/security.md §3).
/// </summary>
internal sealed class RoutePolicyMiddleware(
    RequestDelegate next,
    SessionValidator sessions,
    IOptions<SessionOptions> options,
    ILogger<RoutePolicyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var settings = RouteAuthSettings.For(context.GetReverseProxyFeature().Route.Config);
        if (settings.Policy == AuthPolicy.Anonymous)
        {
            await next(context);
            return;
        }

        ActiveSession? session = null;
        if (SessionCredentials.ReadToken(context.Request, options.Value.CookieName) is { } token)
        {
            try
            {
                session = await sessions.ValidateAsync(token, context.RequestAborted);
            }
            catch (EphemeralStoreUnavailableException exception)
            {
                // Someone presented a session we cannot check: neither refusing it nor forwarding it as anonymous
                // would tell the truth.
                ForwardingLog.SessionStoreUnavailable(logger, exception);
                await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "session_store_unavailable",
                    "Sessions cannot be checked right now; retry shortly.");
                return;
            }
        }

        if (session is not null)
        {
            context.Features.Set(new ProxiedSession(session));
        }
        else if (settings.Policy == AuthPolicy.Required)
        {
            await RefuseAsync(context, settings.LoginPath);
            return;
        }

        await next(context);
    }

    private static Task RefuseAsync(HttpContext context, string? loginPath)
    {
        if (loginPath is not null && IsBrowserNavigation(context.Request))
        {
            // Exactly the target the browser sent, never a host: re-encoding the decoded path would change
            // what %25 and %2F mean. The login flow still validates it as a local path (docs/security.md §4).
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
                ? raw
                : context.Request.GetEncodedPathAndQuery();
            var returnUrl = ReturnUrlPolicy.ToReturnUrl(target);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Redirect(loginPath + (loginPath.Contains('?') ? '&' : '?') + "returnUrl=" + Uri.EscapeDataString(returnUrl));
            return Task.CompletedTask;
        }

        return ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "session_required", "This route needs a signed-in user; log in first.");
    }

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

/// <summary>The valid session of a proxied request, for the identity transform.</summary>
internal sealed record ProxiedSession(ActiveSession Session);
