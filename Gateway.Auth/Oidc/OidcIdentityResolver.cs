using System.Data.Common;
using Dapper;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Gateway.IdentityAssertions;

namespace Gateway.Auth.Oidc;

/// <summary>
/// An OpenID Connect identity is (issuer, subject) and belongs to one person. A first sign-in creates a person
/// without unionid, or, when linking, joins the signed-in person; never a match on e-mail. Races are settled by the
/// unique index on (issuer, subject): the loser resolves again and finds what the winner wrote.
/// </summary>
internal sealed class OidcIdentityResolver(IRelationalStore store, TimeProvider timeProvider)
{
    private const int MaxAttempts = 5;

    private const string Find =
        "SELECT o.id AS IdentityId, o.person_id AS PersonId, p.union_id AS UnionId, p.disabled AS Disabled " +
        "FROM oidc_identities o JOIN persons p ON p.id = o.person_id WHERE o.issuer = @Issuer AND o.subject = @Subject";

    private const string FindPerson = "SELECT id AS PersonId, union_id AS UnionId, disabled AS Disabled FROM persons WHERE id = @PersonId AND merged_into IS NULL";

    private const string Insert =
        "INSERT INTO oidc_identities (issuer, subject, provider, person_id, email, created_at, last_login_at) " +
        "VALUES (@Issuer, @Subject, @Provider, @PersonId, @Email, @Now, @Now)";

    private const string Touch = "UPDATE oidc_identities SET email = @Email, last_login_at = @Now WHERE id = @IdentityId";

    /// <summary>The person an identity belongs to, or null when the provider's subject never signed in here.</summary>
    public Task<long?> FindPersonAsync(string issuer, string subject, CancellationToken cancellationToken) =>
        store.ExecuteAsync(async (connection, ct) =>
            (await QueryAsync(connection, Find, new { Issuer = issuer, Subject = subject }, ct))?.PersonId, cancellationToken);

    /// <param name="linkTo">The signed-in person the identity is to join; null for a plain sign-in.</param>
    public Task<ResolvedIdentity> ResolveAsync(OidcSubject subject, long? linkTo, CancellationToken cancellationToken) =>
        store.ExecuteAsync(async (connection, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var (personId, unionId) = await AttemptAsync(connection, subject, linkTo, ct);
                    return new ResolvedIdentity(new PersonId(personId), unionId is null ? null : new UnionId(unionId), null, null, LoginChannel.Oidc, null, subject);
                }
                catch (DbException exception) when (RelationalErrors.IsRetryableConflict(exception) && attempt < MaxAttempts)
                {
                }
            }
        }, cancellationToken);

    private async Task<(long PersonId, string? UnionId)> AttemptAsync(DbConnection connection, OidcSubject subject, long? linkTo, CancellationToken ct)
    {
        var parameters = new { subject.Issuer, subject.Subject, subject.Provider, subject.Email, Now = timeProvider.GetUtcNow().UtcDateTime };
        var known = await QueryAsync(connection, Find, parameters, ct);
        if (known is not null)
        {
            if (linkTo is { } target && target != known.PersonId)
            {
                throw new IdentityResolutionException(OidcErrorCodes.IdentityConflict, "This account of the provider already belongs to another person.");
            }

            EnsureEnabled(known.Disabled);
            await connection.ExecuteAsync(new CommandDefinition(Touch, new { parameters.Email, parameters.Now, known.IdentityId }, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: ct));
            return (known.PersonId, known.UnionId);
        }

        await using var transaction = await connection.BeginTransactionAsync(ct);
        long personId;
        string? unionId = null;
        if (linkTo is { } linked)
        {
            var person = await QueryAsync(connection, FindPerson, new { PersonId = linked }, ct, transaction)
                ?? throw new IdentityResolutionException(IdentityErrorCodes.PersonDisabled, "The signed-in person no longer exists.");
            EnsureEnabled(person.Disabled);
            (personId, unionId) = (person.PersonId, person.UnionId);
        }
        else
        {
            personId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                IdentitySql.For(store.Dialect).InsertPerson,
                new { UnionId = (string?)null, Nickname = (string?)null, AvatarUrl = (string?)null, Source = (string?)null, parameters.Now },
                transaction,
                store.CommandTimeoutSeconds,
                cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            Insert, new { parameters.Issuer, parameters.Subject, parameters.Provider, PersonId = personId, parameters.Email, parameters.Now }, transaction, store.CommandTimeoutSeconds, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (personId, unionId);
    }

    private Task<OidcIdentityRow?> QueryAsync(DbConnection connection, string sql, object parameters, CancellationToken ct, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<OidcIdentityRow>(new CommandDefinition(sql, parameters, transaction, store.CommandTimeoutSeconds, cancellationToken: ct));

    private static void EnsureEnabled(bool disabled)
    {
        if (disabled)
        {
            throw new IdentityResolutionException(IdentityErrorCodes.PersonDisabled, "This account has been disabled.");
        }
    }
}

internal sealed class OidcIdentityRow
{
    public long IdentityId { get; set; }

    public long PersonId { get; set; }

    public string? UnionId { get; set; }

    public bool Disabled { get; set; }
}
