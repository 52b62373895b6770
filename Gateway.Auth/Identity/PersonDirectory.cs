using System.Data.Common;
using Dapper;
using Gateway.Auth.Storage.Relational;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Identity;

internal sealed class PersonDirectory(
    IRelationalStore store,
    IEnumerable<IPersonDisabledListener> listeners,
    IEnumerable<IPersonForgottenListener> forgottenListeners,
    TimeProvider timeProvider,
    ILogger<PersonDirectory> logger) : IPersonDirectory
{
    // Merges only ever point at a person holding a unionid, which is never merged itself; the bound is defensive.
    private const int MaxMergeHops = 8;

    public Task<PersonView?> FindByIdAsync(long personId, CancellationToken cancellationToken = default) =>
        store.ExecuteAsync((c, ct) => LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct), cancellationToken);

    public Task<PersonView?> FindByUnionIdAsync(string unionId, CancellationToken cancellationToken = default)
    {
        IdentityLimits.RequireIdentifier("UnionId", unionId, IdentityLimits.MaxUnionIdLength);
        return store.ExecuteAsync((c, ct) => LoadAsync(c, IdentitySql.FindPersonByUnionId, new { UnionId = unionId }, ct), cancellationToken);
    }

    public Task<PersonView?> FindByOpenIdAsync(string appId, string openId, CancellationToken cancellationToken = default)
    {
        IdentityLimits.RequireIdentifier("AppId", appId, IdentityLimits.MaxAppIdLength);
        IdentityLimits.RequireIdentifier("OpenId", openId, IdentityLimits.MaxOpenIdLength);
        return store.ExecuteAsync(
            async (c, ct) =>
            {
                var personId = await c.ExecuteScalarAsync<long?>(Command(IdentitySql.FindPersonIdByOpenId, new { AppId = appId, OpenId = openId }, ct));
                return personId is null ? null : await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId.Value }, ct);
            },
            cancellationToken);
    }

    public Task<PersonView?> SetPhoneAsync(long personId, string phone, CancellationToken cancellationToken = default)
    {
        IdentityLimits.ValidatePhone(phone);
        return store.ExecuteAsync(
            async (c, ct) =>
            {
                var current = await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct);
                if (current is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow().UtcDateTime;
                await c.ExecuteAsync(Command(IdentitySql.SetPhone, new { Phone = phone, PersonId = current.Id, Now = now }, ct));
                return current with { Phone = phone, UpdatedAt = new DateTimeOffset(now, TimeSpan.Zero) };
            },
            cancellationToken);
    }

    public Task<PersonView?> SetProfileAsync(long personId, string? nickname, string? avatarUrl, CancellationToken cancellationToken = default) =>
        store.ExecuteAsync(
            async (c, ct) =>
            {
                var current = await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct);
                if (current is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow().UtcDateTime;
                await c.ExecuteAsync(Command(
                    IdentitySql.ApplyProfile,
                    new { Nickname = nickname, AvatarUrl = avatarUrl, Source = ProfileSources.UserFillIn, PersonId = current.Id, Now = now },
                    ct));
                return await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = current.Id }, ct);
            },
            cancellationToken);

    public async Task<PersonView?> SetDisabledAsync(long personId, bool disabled, CancellationToken cancellationToken = default)
    {
        var person = await store.ExecuteAsync(
            async (c, ct) =>
            {
                var current = await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct);
                if (current is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow().UtcDateTime;
                await c.ExecuteAsync(Command(IdentitySql.SetDisabled, new { Disabled = disabled ? 1 : 0, PersonId = current.Id, Now = now }, ct));
                return current with { Disabled = disabled, UpdatedAt = new DateTimeOffset(now, TimeSpan.Zero) };
            },
            cancellationToken);
        if (person is null)
        {
            return null;
        }

        IdentityLog.PersonStatusChanged(logger, person.Id, disabled ? "disabled" : "enabled");
        if (disabled)
        {
            foreach (var listener in listeners)
            {
                try
                {
                    await listener.OnPersonDisabledAsync(person, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    IdentityLog.DisabledListenerFailed(logger, person.Id, exception);
                    throw new PersonDisabledNotPropagatedException(person.Id, exception);
                }
            }
        }

        return person;
    }

    public async Task<ErasedPerson?> EraseAsync(long personId, CancellationToken cancellationToken = default)
    {
        var erased = await store.ExecuteAsync(
            async (c, ct) =>
            {
                var id = personId;
                if (await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct) is { } current)
                {
                    id = current.Id;
                    await ForgetAsync(c, id, timeProvider.GetUtcNow().UtcDateTime, [IdentitySql.RecordErased, IdentitySql.DeleteMergedPersons, IdentitySql.DeletePerson], ct);
                }

                // As stored (the engines keep different precisions), so that a repeat answers exactly the same.
                var at = await c.ExecuteScalarAsync<DateTime?>(Command(IdentitySql.FindErased, new { PersonId = id }, ct));
                return at is { } when ? new ErasedPerson(id, Utc(when)) : null;
            },
            cancellationToken);
        if (erased is not null)
        {
            await TellForgottenAsync(erased.Id, cancellationToken);
        }

        return erased;
    }

    public async Task<PersonView?> AnonymiseAsync(long personId, CancellationToken cancellationToken = default)
    {
        var person = await store.ExecuteAsync(
            async (c, ct) =>
            {
                if (await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct) is not { } current)
                {
                    return null;
                }

                await ForgetAsync(c, current.Id, timeProvider.GetUtcNow().UtcDateTime, [IdentitySql.Anonymise], ct);
                return await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = current.Id }, ct);
            },
            cancellationToken);
        if (person is not null)
        {
            await TellForgottenAsync(person.Id, cancellationToken);
        }

        return person;
    }

    /// <summary>In one transaction: the merge records and bindings go, then what is left of the rows is dealt with.</summary>
    private async Task ForgetAsync(DbConnection connection, long personId, DateTime now, string[] rows, CancellationToken ct)
    {
        var parameters = new { PersonId = personId, Now = now };
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var statement in (string[])[IdentitySql.ForgetMerges, IdentitySql.ForgetIdentities, IdentitySql.ForgetOidcIdentities, .. rows])
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, parameters, transaction, store.CommandTimeoutSeconds, cancellationToken: ct));
        }

        await transaction.CommitAsync(ct);
    }

    private async Task TellForgottenAsync(long personId, CancellationToken cancellationToken)
    {
        foreach (var listener in forgottenListeners)
        {
            try
            {
                await listener.OnPersonForgottenAsync(personId, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                IdentityLog.ForgottenListenerFailed(logger, personId, exception);
                throw new PersonForgottenNotPropagatedException(personId, exception);
            }
        }
    }

    private async Task<PersonView?> LoadAsync(DbConnection connection, string statement, object parameters, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>(Command(statement, parameters, ct));
        for (var hop = 0; row?.MergedInto is { } survivor && hop < MaxMergeHops; hop++)
        {
            row = await connection.QuerySingleOrDefaultAsync<PersonRow>(Command(IdentitySql.FindPersonById, new { PersonId = survivor }, ct));
        }

        if (row is null)
        {
            return null;
        }

        var identities = await connection.QueryAsync<AppIdentityRow>(Command(IdentitySql.FindAppIdentities, new { PersonId = row.Id }, ct));
        return new PersonView(
            row.Id,
            row.UnionId,
            row.Disabled,
            row.Phone,
            row.Nickname,
            row.AvatarUrl,
            Utc(row.CreatedAt),
            Utc(row.UpdatedAt),
            identities.Select(i => new AppIdentityView(i.AppId, i.OpenId, Enum.Parse<LoginChannel>(i.Channel), Utc(i.CreatedAt), Utc(i.LastLoginAt))).ToList(),
            new ProfileProvenance(row.NicknameSource, Utc(row.NicknameSetAt), row.AvatarSource, Utc(row.AvatarSetAt)),
            Utc(row.AnonymisedAt));
    }

    private CommandDefinition Command(string statement, object parameters, CancellationToken ct) =>
        new(statement, parameters, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: ct);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } set ? Utc(set) : null;
}
