using Gateway.Auth.Http;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class IdentityManagementEndpoints
{
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
        return group;
    }

    private static async Task<IResult> Answer(Func<Task<PersonView?>> lookup, string notFound)
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
    }

    private static IResult Error(int status, string code, string message) => ErrorResponse.Result(status, code, message);
}
