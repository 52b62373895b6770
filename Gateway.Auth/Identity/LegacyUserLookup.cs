using System.Data.Common;
using System.Globalization;
using Dapper;
using Gateway.Auth.Storage.Relational;
using Gateway.IdentityAssertions;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Identity;

/// <summary>
/// Reads the legacy user id on every resolution, uncached, so a change in the legacy table is seen at the next
/// login. Runs inside a relational store slot so it shares the database concurrency bound.
/// </summary>
internal sealed class LegacyUserLookup(IOptions<LegacyIdentityOptions> options, IOptions<RelationalStoreOptions> relationalOptions, IRelationalStore store)
{
    public Task<string?> FindAsync(UnionId? unionId, AppId appId, OpenId openId, CancellationToken cancellationToken)
    {
        var legacy = options.Value;
        return legacy.Enabled
            ? store.ExecuteAsync((connection, ct) => FindOnAsync(connection, legacy, new LegacyParameters(unionId?.Value, appId.Value, openId.Value), ct), cancellationToken)
            : Task.FromResult<string?>(null);
    }

    private async Task<string?> FindOnAsync(DbConnection gatewayConnection, LegacyIdentityOptions legacy, LegacyParameters parameters, CancellationToken ct)
    {
        DbConnection? own = null;
        try
        {
            var connection = gatewayConnection;
            if (legacy.ConnectionString is { Length: > 0 } connectionString)
            {
                own = RelationalConnections.Create(store.Dialect, RelationalConnections.Normalize(store.Dialect, connectionString, relationalOptions.Value));
                await own.OpenAsync(ct).ConfigureAwait(false);
                connection = own;
            }

            if (parameters.unionId is not null && legacy.FindByUnionIdSql is { Length: > 0 } byUnionId
                && await ScalarAsync(connection, byUnionId, parameters, ct).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            return legacy.FindByOpenIdSql is { Length: > 0 } byOpenId
                ? await ScalarAsync(connection, byOpenId, parameters, ct).ConfigureAwait(false)
                : null;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> ScalarAsync(DbConnection connection, string sql, LegacyParameters parameters, CancellationToken ct)
    {
        var value = await connection.ExecuteScalarAsync<object?>(new CommandDefinition(sql, parameters, commandTimeout: store.CommandTimeoutSeconds, cancellationToken: ct)).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    // Lower-case names are the documented parameter names (@unionId, @appId, @openId).
    private sealed record LegacyParameters(string? unionId, string appId, string openId);
}
