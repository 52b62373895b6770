using Dapper;
using Gateway.Auth.Storage.Relational;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Login;

/// <summary>Sets <c>persons.phone</c>; a person merged into another gives the number to the survivor.</summary>
internal sealed class PersonPhones(IRelationalStore store, TimeProvider timeProvider)
{
    private const string FindTarget = "SELECT COALESCE(merged_into, id) FROM persons WHERE id = @PersonId";
    private const string SetPhone = "UPDATE persons SET phone = @Phone, updated_at = @Now WHERE id = @PersonId";

    public async Task AttachAsync(long personId, string phone, CancellationToken cancellationToken)
    {
        var found = await store.ExecuteAsync(async (connection, ct) =>
        {
            var target = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(FindTarget, new { PersonId = personId }, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: ct)).ConfigureAwait(false);
            if (target is null)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                SetPhone,
                new { Phone = phone, PersonId = target.Value, Now = timeProvider.GetUtcNow().UtcDateTime },
                commandTimeout: store.CommandTimeoutSeconds,
                cancellationToken: ct)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (!found)
        {
            throw new LoginException(StatusCodes.Status401Unauthorized, LoginErrorCodes.SessionRequired, "The session's person no longer exists: log in again.");
        }
    }
}
