using System.Data.Common;
using Dapper;
using Gateway.Auth.Storage.Relational;
using Gateway.IdentityAssertions;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Identity;

/// <summary>
/// Resolution in the seeds' order with races settled by the unique indexes on <c>persons.union_id</c> and
/// <c>app_identities(app_id, open_id)</c>: no lock is held across round trips; a writer that loses a race
/// rolls back and resolves again, and then finds what the winner wrote.
/// </summary>
internal sealed class IdentityResolver(
    IRelationalStore store,
    LegacyUserLookup legacy,
    IdentityStatementCounter counter,
    IEnumerable<IPersonMergedListener> mergeListeners,
    TimeProvider timeProvider,
    ILogger<IdentityResolver> logger) : IIdentityResolver
{
    private const int MaxAttempts = 10;

    public async Task<ResolvedIdentity> ResolveAsync(LoginIdentity login, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (login.IsSnapshotUser)
        {
            throw new IdentityResolutionException(IdentityErrorCodes.SnapshotUser, "Snapshot-page users are virtual visitors and cannot log in.");
        }

        IdentityLimits.ValidateLogin(login);
        var sql = IdentitySql.For(store.Dialect);
        var merge = new MergeRecord();
        long personId;
        string? unionId;
        try
        {
            (personId, unionId) = await store.ExecuteAsync((connection, ct) => ResolveWithRetriesAsync(connection, sql, login, merge, ct), cancellationToken);
        }
        finally
        {
            // Outside the store's slot, and also when the login is then refused: the merge itself was committed.
            if (merge.MergedPersonId is { } mergedId)
            {
                foreach (var listener in mergeListeners)
                {
                    await listener.OnPersonMergedAsync(mergedId, merge.SurvivorPersonId, cancellationToken);
                }
            }
        }

        var resolvedUnionId = unionId is null ? (UnionId?)null : new UnionId(unionId);
        var legacyUserId = await legacy.FindAsync(resolvedUnionId, login.AppId, login.OpenId, cancellationToken);
        return new ResolvedIdentity(new PersonId(personId), resolvedUnionId, login.AppId, login.OpenId, login.Channel, legacyUserId);
    }

    private async Task<(long PersonId, string? UnionId)> ResolveWithRetriesAsync(DbConnection connection, IdentitySql sql, LoginIdentity login, MergeRecord merge, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await AttemptAsync(connection, sql, login, merge, ct) is { } resolved)
                {
                    return resolved;
                }
            }
            catch (DbException exception) when (RelationalErrors.IsRetryableConflict(exception))
            {
                if (attempt >= MaxAttempts)
                {
                    throw new RelationalStoreUnavailableException($"Identity resolution kept losing races after {MaxAttempts} attempts.", exception);
                }
            }

            if (attempt >= MaxAttempts)
            {
                throw new RelationalStoreUnavailableException($"Identity resolution kept losing races after {MaxAttempts} attempts.");
            }

            IdentityLog.RetryingAfterConflict(logger, attempt);
        }
    }

    /// <returns>Null when a guarded write found the data changed under it: resolve again.</returns>
    private async Task<(long, string?)?> AttemptAsync(DbConnection connection, IdentitySql sql, LoginIdentity login, MergeRecord merge, CancellationToken ct)
    {
        var identity = await QuerySingleAsync<IdentityRow>(connection, IdentitySql.FindIdentity, new { AppId = login.AppId.Value, OpenId = login.OpenId.Value }, ct);
        if (identity is not null && (login.UnionId is null || identity.UnionId == login.UnionId?.Value))
        {
            EnsureEnabled(identity.Disabled);
            await TouchAsync(connection, identity.IdentityId, identity.PersonId, login, ct);
            return (identity.PersonId, identity.UnionId);
        }

        if (identity is { UnionId: not null })
        {
            IdentityLog.UnionIdConflict(logger, login.AppId.Value, identity.PersonId);
            throw new IdentityResolutionException(IdentityErrorCodes.IdentityConflict, "This openid is already bound to a different unionid.");
        }

        var holder = login.UnionId is null
            ? null
            : await QuerySingleAsync<UnionHolderRow>(connection, IdentitySql.FindByUnionId, new { UnionId = login.UnionId.Value.Value }, ct);

        if (identity is not null)
        {
            return holder is null
                ? await BackfillAsync(connection, identity, login, ct)
                : await MergeAsync(connection, holder, identity, login, merge, ct);
        }

        if (holder is not null)
        {
            EnsureEnabled(holder.Disabled);
            await AddIdentityAsync(connection, holder.PersonId, login, ct);
            return (holder.PersonId, holder.UnionId);
        }

        return (await CreatePersonAsync(connection, sql, login, ct), login.UnionId?.Value);
    }

    private async Task<(long, string?)?> BackfillAsync(DbConnection connection, IdentityRow identity, LoginIdentity login, CancellationToken ct)
    {
        EnsureEnabled(identity.Disabled);
        var now = Now();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await WriteAsync(connection, IdentitySql.BackfillUnionId, new { UnionId = login.UnionId?.Value, identity.PersonId, Now = now }, transaction, ct) == 0)
        {
            return null;
        }

        await TouchAsync(connection, identity.IdentityId, identity.PersonId, login, ct, transaction);
        await transaction.CommitAsync(ct);
        IdentityLog.UnionIdBackfilled(logger, identity.PersonId);
        return (identity.PersonId, login.UnionId?.Value);
    }

    /// <summary>The person already holding the unionid survives; the openid-only person's identities move to it.</summary>
    private async Task<(long, string?)?> MergeAsync(DbConnection connection, UnionHolderRow survivor, IdentityRow merged, LoginIdentity login, MergeRecord merge, CancellationToken ct)
    {
        var now = Now();
        var ids = new { SurvivorId = survivor.PersonId, MergedId = merged.PersonId, UnionId = login.UnionId?.Value, Now = now };
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await WriteAsync(connection, IdentitySql.MarkMerged, ids, transaction, ct) == 0)
        {
            return null;
        }

        counter.Lookup();
        var absorbed = await connection.QuerySingleAsync<MergedPersonRow>(new CommandDefinition(IdentitySql.FindMergedPerson, ids, transaction, store.CommandTimeoutSeconds, cancellationToken: ct));
        await WriteAsync(connection, IdentitySql.MoveIdentities, ids, transaction, ct);
        await WriteAsync(connection, IdentitySql.MoveOidcIdentities, ids, transaction, ct);
        await WriteAsync(
            connection,
            IdentitySql.AbsorbMerged,
            new
            {
                absorbed.Phone, absorbed.Nickname, absorbed.NicknameSource, absorbed.NicknameSetAt, absorbed.AvatarUrl, absorbed.AvatarSource, absorbed.AvatarSetAt,
                Disabled = absorbed.Disabled ? 1 : 0, ids.SurvivorId, Now = now,
            },
            transaction,
            ct);
        await WriteAsync(connection, IdentitySql.RecordMerge, ids, transaction, ct);
        await TouchAsync(connection, merged.IdentityId, survivor.PersonId, login, ct, transaction);
        await transaction.CommitAsync(ct);
        merge.MergedPersonId = merged.PersonId;
        merge.SurvivorPersonId = survivor.PersonId;
        IdentityLog.PersonsMerged(logger, merged.PersonId, survivor.PersonId);

        // The merge is kept even when the person is disabled: it is a fact about identities, not a login.
        EnsureEnabled(survivor.Disabled || absorbed.Disabled);
        return (survivor.PersonId, login.UnionId?.Value);
    }

    private async Task AddIdentityAsync(DbConnection connection, long personId, LoginIdentity login, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await WriteAsync(connection, IdentitySql.InsertIdentity, IdentityParameters(personId, login), transaction, ct);
        await ApplyProfileAsync(connection, personId, login, transaction, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<long> CreatePersonAsync(DbConnection connection, IdentitySql sql, LoginIdentity login, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        counter.Write();
        var profile = ProfilePlaceholders.RealPart(login.Profile);
        var personId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            sql.InsertPerson,
            new { UnionId = login.UnionId?.Value, profile?.Nickname, profile?.AvatarUrl, Source = profile is null ? null : ProfileSources.Of(login.Channel), Now = Now() },
            transaction,
            store.CommandTimeoutSeconds,
            cancellationToken: ct));
        await WriteAsync(connection, IdentitySql.InsertIdentity, IdentityParameters(personId, login), transaction, ct);
        await transaction.CommitAsync(ct);
        IdentityLog.PersonCreated(logger, personId, login.UnionId is not null);
        return personId;
    }

    private async Task TouchAsync(DbConnection connection, long identityId, long personId, LoginIdentity login, CancellationToken ct, DbTransaction? transaction = null)
    {
        await WriteAsync(connection, IdentitySql.TouchIdentity, new { IdentityId = identityId, Now = Now() }, transaction, ct);
        await ApplyProfileAsync(connection, personId, login, transaction, ct);
    }

    private async Task ApplyProfileAsync(DbConnection connection, long personId, LoginIdentity login, DbTransaction? transaction, CancellationToken ct)
    {
        // Placeholders never reach the row: the last real value stays.
        if (ProfilePlaceholders.RealPart(login.Profile) is { } profile)
        {
            await WriteAsync(
                connection,
                IdentitySql.ApplyProfile,
                new { profile.Nickname, profile.AvatarUrl, Source = ProfileSources.Of(login.Channel), PersonId = personId, Now = Now() },
                transaction,
                ct);
        }
    }

    private object IdentityParameters(long personId, LoginIdentity login) =>
        new { AppId = login.AppId.Value, OpenId = login.OpenId.Value, PersonId = personId, Channel = login.Channel.ToString(), Now = Now() };

    private async Task<T?> QuerySingleAsync<T>(DbConnection connection, string statement, object parameters, CancellationToken ct)
    {
        counter.Lookup();
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(statement, parameters, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: ct));
    }

    private Task<int> WriteAsync(DbConnection connection, string statement, object parameters, DbTransaction? transaction, CancellationToken ct)
    {
        counter.Write();
        return connection.ExecuteAsync(new CommandDefinition(statement, parameters, transaction, store.CommandTimeoutSeconds, cancellationToken: ct));
    }

    private DateTime Now() => timeProvider.GetUtcNow().UtcDateTime;

    private static void EnsureEnabled(bool disabled)
    {
        if (disabled)
        {
            throw new IdentityResolutionException(IdentityErrorCodes.PersonDisabled, "This account has been disabled.");
        }
    }
}

/// <summary>Which person a resolution merged away, if any, for the listeners told after the store is released.</summary>
internal sealed class MergeRecord
{
    public long? MergedPersonId { get; set; }

    public long SurvivorPersonId { get; set; }
}
