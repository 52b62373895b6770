using Gateway.Auth.Http;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

public static class IdentityManagementEndpoints
{
    /// <summary>The log category of management actions on persons' data.</summary>
    public const string AuditCategory = "Gateway.Audit";

    /// <summary>
    /// Person lookup and disable/enable. Map onto the management group only: it must not be reachable through
    /// the public proxy listener, and the group is expected to require the management credentials.
    /// </summary>
    public static RouteGroupBuilder MapIdentityManagement(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("persons/{id:long}", (long id, IPersonDirectory directory, CancellationToken ct) =>
            Answer(() => directory.FindByIdAsync(id, ct), $"No person has id {id}."));
        group.MapGet("persons/by-unionid/{unionId}", (string unionId, IPersonDirectory directory, CancellationToken ct) =>
            Answer(() => directory.FindByUnionIdAsync(unionId, ct), "No person holds this unionid."));
        group.MapGet("persons/by-openid/{appId}/{openId}", (string appId, string openId, IPersonDirectory directory, CancellationToken ct) =>
            Answer(() => directory.FindByOpenIdAsync(appId, openId, ct), "No person has this openid in this app."));
        group.MapPost("persons/{id:long}/disable", (long id, IPersonDirectory directory, CancellationToken ct) =>
            Answer(() => directory.SetDisabledAsync(id, disabled: true, ct), $"No person has id {id}."));
        group.MapPost("persons/{id:long}/enable", (long id, IPersonDirectory directory, CancellationToken ct) =>
            Answer(() => directory.SetDisabledAsync(id, disabled: false, ct), $"No person has id {id}."));

        // PIPL (docs/identity.md, "PIPL: deleting and anonymising a person"): both idempotent, both audited.
        group.MapDelete("persons/{id:long}", (long id, IPersonDirectory directory, HttpContext context, ILoggerFactory loggers, CancellationToken ct) =>
            Forget(id, "erased", context, loggers, () => directory.EraseAsync(id, ct)));
        group.MapPost("persons/{id:long}/anonymise", (long id, IPersonDirectory directory, HttpContext context, ILoggerFactory loggers, CancellationToken ct) =>
            Forget(id, "anonymised", context, loggers, () => directory.AnonymiseAsync(id, ct)));
        return group;
    }

    /// <summary>One audit line per call, whatever its outcome, naming the caller and the trace; never an identifier of WeChat's.</summary>
    private static async Task<IResult> Forget<T>(long id, string action, HttpContext context, ILoggerFactory loggers, Func<Task<T?>> forget)
        where T : class
    {
        var outcome = "failed";
        try
        {
            var result = await Answer(forget, $"No person has id {id}.");
            outcome = (result as IStatusCodeHttpResult)?.StatusCode switch
            {
                StatusCodes.Status200OK => "done",
                StatusCodes.Status404NotFound => "no such person",
                var status => $"failed with {status}",
            };
            return result;
        }
        finally
        {
            var caller = "the management key from " + (context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address");
            IdentityLog.PersonForgotten(loggers.CreateLogger(AuditCategory), id, action, outcome, caller, TraceIds.Of(context));
        }
    }

    private static async Task<IResult> Answer<T>(Func<Task<T?>> lookup, string notFound)
        where T : class
    {
        try
        {
            return await lookup() is { } person
                ? Results.Ok(person)
                : Error(StatusCodes.Status404NotFound, "person_not_found", notFound);
        }
        catch (IdentityResolutionException exception)
        {
            return Error(StatusCodes.Status400BadRequest, exception.Code, exception.Message);
        }
        catch (RelationalStoreUnavailableException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", "The identity database is unavailable; retry later.");
        }
        catch (PersonDisabledNotPropagatedException exception)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "disable_not_propagated", exception.Message);
        }
        catch (PersonForgottenNotPropagatedException exception)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "sessions_not_ended", exception.Message);
        }
    }

    private static IResult Error(int status, string code, string message) => ErrorResponse.Result(status, code, message);
}
