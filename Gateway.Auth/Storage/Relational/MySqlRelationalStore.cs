using System.Data.Common;
using System.Net.Sockets;
using Dapper;
using Gateway.Auth.Storage.Relational.Migrations;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Gateway.Auth.Storage.Relational;

/// <summary>MySQL and MariaDB through MySqlConnector; connections come from the one data source the host owns.</summary>
internal sealed class MySqlRelationalStore(RelationalStoreOptions options, MySqlDataSource dataSource, TimeProvider timeProvider, ILogger<MySqlRelationalStore> logger)
    : RelationalStore(SqlDialect.MySql, options, timeProvider, logger)
{
    private const string MigrationLock = "gateway.schema_migration";

    public override Task MigrateAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            async (connection, ct) =>
            {
                // DDL commits implicitly in MySQL, so scripts cannot share a transaction; a named lock keeps two
                // instances starting together from applying the same script twice.
                var locked = await connection.ExecuteScalarAsync<long?>(Command("SELECT GET_LOCK(@name, @seconds)", new { name = MigrationLock, seconds = MigrationCommandTimeoutSeconds }, ct));
                if (locked != 1)
                {
                    throw new RelationalStoreUnavailableException("Another instance held the schema migration lock for too long.");
                }

                try
                {
                    await connection.ExecuteAsync(Command(
                        """
                        CREATE TABLE IF NOT EXISTS schema_version (
                          version INT NOT NULL PRIMARY KEY,
                          name VARCHAR(200) NOT NULL,
                          applied_at DATETIME(6) NOT NULL
                        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
                        """,
                        null,
                        ct));
                    var applied = (await connection.QueryAsync<int>(Command("SELECT version FROM schema_version", null, ct))).ToHashSet();
                    var scripts = MigrationScript.Load(SqlDialect.MySql);
                    foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
                    {
                        await connection.ExecuteAsync(Command(script.Sql, null, ct));
                        await connection.ExecuteAsync(Command(
                            "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @at)",
                            new { script.Version, script.Name, at = TimeProvider.GetUtcNow().UtcDateTime },
                            ct));
                        RelationalStoreLog.MigrationApplied(Logger, Dialect, script.Version, script.Name);
                    }

                    RelationalStoreLog.SchemaCurrent(Logger, Dialect, scripts.Count);
                }
                finally
                {
                    await connection.ExecuteScalarAsync(Command("SELECT RELEASE_LOCK(@name)", new { name = MigrationLock }, CancellationToken.None));
                }

                return true;
            },
            cancellationToken);

    protected override string Endpoint
    {
        get
        {
            var builder = new MySqlConnectionStringBuilder(dataSource.ConnectionString);
            return $"{builder.Server}:{builder.Port}";
        }
    }

    protected override string SchemaVersionTableExistsSql =>
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_version'";

    protected override DbConnection CreateConnection() => dataSource.CreateConnection();

    /// <summary>
    /// The driver's own verdict: <see cref="MySqlException.IsTransient"/> covers a refused or lost connection, too
    /// many connections and timeouts. Deadlocks and lock waits are transient too, but they are a lost race the
    /// caller retries (<see cref="RelationalErrors.IsRetryableConflict"/>), not an unavailable database. A read
    /// that fails mid-result surfaces with the I/O error inside.
    /// </summary>
    protected override bool IsUnavailable(Exception exception) => exception switch
    {
        MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout } => false,
        MySqlException { IsTransient: true } => true,
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.ServerShutdown } => true,
        MySqlException mySql => mySql.InnerException is TimeoutException or IOException or SocketException,
        TimeoutException or IOException or SocketException => true,
        _ => false,
    };

    private static CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, commandTimeout: MigrationCommandTimeoutSeconds, cancellationToken: cancellationToken);
}
