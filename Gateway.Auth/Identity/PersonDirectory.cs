using System.Data.Common;
using Dapper;
using Gateway.Auth.Storage.Relational;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Identity;

internal sealed class PersonDirectory(
    IRelationalStore store,
    IEnumerable<IPersonDisabledListener> listeners,
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
                var personId = await c.ExecuteScalarAsync<long?>(Command(IdentitySql.FindPersonIdByOpenId, new { AppId = appId, OpenId = openId }, ct)).ConfigureAwait(false);
                return personId is null ? null : await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId.Value }, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public Task<PersonView?> SetPhoneAsync(long personId, string phone, CancellationToken cancellationToken = default)
    {
        IdentityLimits.ValidatePhone(phone);
        return store.ExecuteAsync(
            async (c, ct) =>
            {
                var current = await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow().UtcDateTime;
                await c.ExecuteAsync(Command(IdentitySql.SetPhone, new { Phone = phone, PersonId = current.Id, Now = now }, ct)).ConfigureAwait(false);
                return current with { Phone = phone, UpdatedAt = new DateTimeOffset(now, TimeSpan.Zero) };
            },
            cancellationToken);
    }

    public Task<PersonView?> SetProfileAsync(long personId, string? nickname, string? avatarUrl, CancellationToken cancellationToken = default) =>
        store.ExecuteAsync(
            async (c, ct) =>
            {
                var current = await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow().UtcDateTime;
                await c.ExecuteAsync(Command(
                    IdentitySql.ApplyProfile,
                    new { Nickname = nickname, AvatarUrl = avatarUrl, Source = ProfileSources.UserFillIn, PersonId = current.Id, Now = now },
                    ct)).ConfigureAwait(false);
                return await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = current.Id }, ct).ConfigureAwait(false);
            },
            cancellationToken);

    public async Task<PersonView?> SetDisabledAsync(long personId, bool disabled, CancellationToken cancellationToken = default)
    {
        var person = await store.ExecuteAsync(
            async (c, ct) =>
            {
                var current = await LoadAsync(c, IdentitySql.FindPersonById, new { PersonId = personId }, ct).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }

                var now = timeProvider.GetUtcNow().UtcDateTime;
                await c.ExecuteAsync(Command(IdentitySql.SetDisabled, new { Disabled = disabled ? 1 : 0, PersonId = current.Id, Now = now }, ct)).ConfigureAwait(false);
                return current with { Disabled = disabled, UpdatedAt = new DateTimeOffset(now, TimeSpan.Zero) };
            },
            cancellationToken).ConfigureAwait(false);
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
                    await listener.OnPersonDisabledAsync(person, cancellationToken).ConfigureAwait(false);
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

    private async Task<PersonView?> LoadAsync(DbConnection connection, string statement, object parameters, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PersonRow>(Command(statement, parameters, ct)).ConfigureAwait(false);
        for (var hop = 0; row?.MergedInto is { } survivor && hop < MaxMergeHops; hop++)
        {
            row = await connection.QuerySingleOrDefaultAsync<PersonRow>(Command(IdentitySql.FindPersonById, new { PersonId = survivor }, ct)).ConfigureAwait(false);
        }

        if (row is null)
        {
            return null;
        }

        var identities = await connection.QueryAsync<AppIdentityRow>(Command(IdentitySql.FindAppIdentities, new { PersonId = row.Id }, ct)).ConfigureAwait(false);
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
            new ProfileProvenance(row.NicknameSource, Utc(row.NicknameSetAt), row.AvatarSource, Utc(row.AvatarSetAt)));
    }

    private CommandDefinition Command(string statement, object parameters, CancellationToken ct) =>
        new(statement, parameters, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: ct);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } set ? Utc(set) : null;
}
