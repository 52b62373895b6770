using System.Text.Json.Serialization;
using Gateway.Auth.Http;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions;

public static class SessionEndpoints
{
    public const string SessionPath = "/auth/session";
    public const string LogoutPath = "/auth/logout";
    public const string LogoutEverywherePath = "/auth/logout-everywhere";

    /// <summary>
    /// <c>GET /auth/session</c> (the current session, no secrets), <c>POST /auth/logout</c> and
    /// <c>POST /auth/logout-everywhere</c>, on the public listener.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewaySessions(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SessionPath, CurrentAsync);
        endpoints.MapPost(LogoutPath, LogoutAsync);
        endpoints.MapPost(LogoutEverywherePath, LogoutEverywhereAsync);
        return endpoints;
    }

    private static async Task CurrentAsync(HttpContext context)
    {
        await SessionEndpoint.RunAsync(context, async (sessions, token) =>
        {
            var session = token is null ? null : await sessions.Validator.ValidateAsync(token, context.RequestAborted);
            if (session is null)
            {
                await SessionEndpoint.NoSessionAsync(context);
                return;
            }

            var profile = await SessionProfile.FindAsync(context, session.PersonId);
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(SessionView.From(session) with { Profile = profile }, SessionViewJsonContext.Default.SessionView, cancellationToken: context.RequestAborted);
        });
    }

    private static Task LogoutAsync(HttpContext context) =>
        SessionEndpoint.RunAsync(context, async (sessions, token) =>
        {
            if (!await SessionEndpoint.SameSiteAsync(context, sessions))
            {
                return;
            }

            var session = token is null ? null : await sessions.Validator.ValidateAsync(token, context.RequestAborted);
            if (token is not null)
            {
                await sessions.Validator.EndAsync(token, context.RequestAborted);
            }

            if (session is not null)
            {
                SessionLog.SessionEnded(sessions.Logger, session.PersonId);
            }

            SessionCredentials.DeleteCookie(context.Response, sessions.Options.CookieName);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

    private static Task LogoutEverywhereAsync(HttpContext context) =>
        SessionEndpoint.RunAsync(context, async (sessions, token) =>
        {
            if (!await SessionEndpoint.SameSiteAsync(context, sessions))
            {
                return;
            }

            var session = token is null ? null : await sessions.Validator.ValidateAsync(token, context.RequestAborted);
            if (session is null)
            {
                await SessionEndpoint.NoSessionAsync(context);
                return;
            }

            await sessions.Validator.RevokePersonAsync(session.PersonId, context.RequestAborted);
            SessionLog.PersonSessionsRevoked(sessions.Logger, session.PersonId, "logout everywhere");
            SessionCredentials.DeleteCookie(context.Response, sessions.Options.CookieName);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
}

/// <summary>What the session endpoints share: their services, the store-outage answer and the CSRF check.</summary>
internal sealed record SessionEndpoint(SessionValidator Validator, SessionOptions Options, ILogger Logger)
{
    public static async Task RunAsync(HttpContext context, Func<SessionEndpoint, string?, Task> handle)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<SessionOptions>>().Value;
        var sessions = new SessionEndpoint(
            services.GetRequiredService<SessionValidator>(),
            options,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionEndpoints)));
        try
        {
            await handle(sessions, SessionCredentials.ReadToken(context.Request, options.CookieName));
        }
        catch (EphemeralStoreUnavailableException exception)
        {
            SessionLog.StoreUnavailable(sessions.Logger, exception);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "session_store_unavailable",
                "Sessions cannot be checked right now; retry shortly.");
        }
    }

    public static Task NoSessionAsync(HttpContext context) =>
        ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "session_required", "There is no valid session; log in.");

    /// <summary>
    /// SameSite=Lax already keeps the cookie off cross-site POSTs; browsers that send Fetch Metadata also say so
    /// outright, and such a request is refused before it can end anyone's session.
    /// </summary>
    public static async Task<bool> SameSiteAsync(HttpContext context, SessionEndpoint sessions)
    {
        if (!string.Equals(context.Request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        SessionLog.CrossSiteRefused(sessions.Logger, context.Request.Path);
        await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "cross_site_request", "This request must come from the site itself.");
        return false;
    }
}

/// <summary>The body of <c>GET /auth/session</c>.</summary>
public sealed record SessionView(
    [property: JsonPropertyName("personId")] string PersonId,
    [property: JsonPropertyName("unionId")] string? UnionId,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("issuedAt")] DateTimeOffset IssuedAt,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("absoluteExpiresAt")] DateTimeOffset AbsoluteExpiresAt)
{
    /// <summary>The person's nickname and avatar; null when the identity database could not be asked.</summary>
    [JsonPropertyName("profile")]
    public SessionProfile? Profile { get; init; }

    internal static SessionView From(ActiveSession session) => new(
        session.PersonId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        session.UnionId,
        session.AppId,
        session.Channel,
        session.Transport == SessionTransport.Cookie ? "cookie" : "bearer",
        session.IssuedAt,
        session.ExpiresAt,
        session.AbsoluteExpiresAt);
}

[JsonSerializable(typeof(SessionView))]
internal sealed partial class SessionViewJsonContext : JsonSerializerContext;
