using Gateway.Auth.Http;
using Gateway.Auth.Sessions;
using Gateway.Auth.Storage.Ephemeral;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

public static class SessionManagementEndpoints
{
    /// <summary>
    /// <c>POST persons/{id}/sessions/revoke</c>: ends every session of the person on every instance within
    /// <c>Sessions:LocalCacheDuration</c>. Map onto the management group only.
    /// </summary>
    public static RouteGroupBuilder MapSessionManagement(this RouteGroupBuilder management)
    {
        management.MapPost("persons/{id:long}/sessions/revoke", async (long id, SessionValidator validator, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var logger = loggers.CreateLogger(typeof(SessionManagementEndpoints));
            try
            {
                await validator.RevokePersonAsync(id, ct);
            }
            catch (EphemeralStoreUnavailableException exception)
            {
                SessionLog.StoreUnavailable(logger, exception.Message);
                return ErrorResponse.Result(StatusCodes.Status503ServiceUnavailable, "session_store_unavailable",
                    "The session store is unavailable; retry the revocation.");
            }

            SessionLog.PersonSessionsRevoked(logger, id, "management request");
            return Results.NoContent();
        });
        return management;
    }
}
