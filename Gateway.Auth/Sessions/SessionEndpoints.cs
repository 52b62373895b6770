using System.Text.Json.Serialization;
using Gateway.Auth.Http;
using Gateway.Auth.Sessions.Authentication;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Sessions;

public static class SessionEndpoints
{
    public const string SessionPath = "/auth/session";
    public const string LogoutPath = "/auth/logout";
    public const string LogoutEverywherePath = "/auth/logout-everywhere";

    internal static async Task CurrentAsync(HttpContext context)
    {
        await SessionEndpoint.RunAsync(context, async sessions =>
        {
            var session = await context.AuthenticateGatewaySessionAsync();
            if (session is null)
            {
                await SessionEndpoint.NoSessionAsync(context);
                return;
            }

            var profile = await SessionProfile.FindAsync(context, session.PersonId.Value);
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(SessionView.From(session) with { Profile = profile }, SessionViewJsonContext.Default.SessionView, cancellationToken: context.RequestAborted);
        });
    }

    internal static Task LogoutAsync(HttpContext context) =>
        SessionEndpoint.RunAsync(context, async sessions =>
        {
            if (!await SessionEndpoint.SameSiteAsync(context, sessions.Logger))
            {
                return;
            }

            var session = await context.AuthenticateGatewaySessionAsync();
            await context.SignOutAsync(GatewaySessionDefaults.AuthenticationScheme);
            if (session is not null)
            {
                SessionLog.SessionEnded(sessions.Logger, session.PersonId.Value);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

    internal static Task LogoutEverywhereAsync(HttpContext context) =>
        SessionEndpoint.RunAsync(context, async sessions =>
        {
            if (!await SessionEndpoint.SameSiteAsync(context, sessions.Logger))
            {
                return;
            }

            var session = await context.AuthenticateGatewaySessionAsync();
            if (session is null)
            {
                await SessionEndpoint.NoSessionAsync(context);
                return;
            }

            await sessions.Validator.RevokePersonAsync(session.PersonId.Value, context.RequestAborted);
            SessionLog.PersonSessionsRevoked(sessions.Logger, session.PersonId.Value, "logout everywhere");
            await context.SignOutAsync(GatewaySessionDefaults.AuthenticationScheme);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
}

/// <summary>What the session endpoints share: their services, the store-outage answer and the CSRF check.</summary>
internal sealed record SessionEndpoint(SessionValidator Validator, ILogger Logger)
{
    public static async Task RunAsync(HttpContext context, Func<SessionEndpoint, Task> handle)
    {
        var services = context.RequestServices;
        var sessions = new SessionEndpoint(
            services.GetRequiredService<SessionValidator>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionEndpoints)));
        try
        {
            await handle(sessions);
        }
        catch (EphemeralStoreUnavailableException exception)
        {
            SessionLog.StoreUnavailable(sessions.Logger, exception.Message);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, SessionErrorCodes.StoreUnavailable,
                "Sessions cannot be checked right now; retry shortly.");
        }
    }

    public static Task NoSessionAsync(HttpContext context) =>
        ErrorResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, SessionErrorCodes.SessionRequired, "There is no valid session; log in.");

    /// <summary>
    /// SameSite=Lax already keeps the cookie off cross-site POSTs; browsers that send Fetch Metadata also say so
    /// outright, and such a request is refused before it can end anyone's session.
    /// </summary>
    public static async Task<bool> SameSiteAsync(HttpContext context, ILogger logger)
    {
        if (!string.Equals(context.Request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        SessionLog.CrossSiteRefused(logger, context.Request.Path);
        await ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "cross_site_request", "This request must come from the site itself.");
        return false;
    }
}

/// <summary>The body of <c>GET /auth/session</c>.</summary>
public sealed record SessionView(
    [property: JsonPropertyName("personId")] long PersonId,
    [property: JsonPropertyName("unionId")] string? UnionId,
    [property: JsonPropertyName("appId")] string? AppId,
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
        session.PersonId.Value,
        session.UnionId?.Value,
        session.AppId?.Value,
        session.Channel,
        session.Transport == SessionTransport.Cookie ? "cookie" : "bearer",
        session.IssuedAt,
        session.ExpiresAt,
        session.AbsoluteExpiresAt);
}

[JsonSerializable(typeof(SessionView))]
internal sealed partial class SessionViewJsonContext : JsonSerializerContext;
