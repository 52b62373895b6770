using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Gateway.Auth.Storage.Relational;

internal enum SqlDialect
{
    MySql,
    Sqlite,
}

/// <summary>
/// The identity database: MySQL or MariaDB (MySqlConnector + Dapper) in production, an SQLite file in the embedded default.
/// Callers use Dapper on the connection handed to them; the store bounds concurrent database work and owns
/// connection lifetime, pooling and the schema.
/// </summary>
internal interface IRelationalStore
{
    SqlDialect Dialect { get; }

    /// <summary>Seconds every command may run; pass it to Dapper's CommandDefinition.</summary>
    int CommandTimeoutSeconds { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on an open connection, waiting for a free slot when the configured maximum
    /// of concurrent database operations is reached. Throws <see cref="RelationalStoreUnavailableException"/>
    /// when no slot or connection can be had in time. Do not call the store again from inside
    /// <paramref name="work"/>: the SQLite store runs one operation at a time, so a nested call waits for itself.
    /// </summary>
    /// <param name="operation">Names the operation in metrics and spans: the calling method, a name fixed at compile time.</param>
    Task<T> ExecuteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default, [CallerMemberName] string operation = "");

    /// <summary>Applies the versioned migration scripts not yet recorded in the schema_version table.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>The versions of the scripts not yet applied; needs only SELECT.</summary>
    Task<IReadOnlyList<int>> PendingMigrationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Round trip to the database; throws <see cref="RelationalStoreUnavailableException"/> when it is unreachable.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
