using System.Data.Common;
using Dapper;
using Gateway.Auth.Storage.Relational.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Relational;

internal sealed class SqliteRelationalStore : RelationalStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    private readonly string? _directory;
    private readonly string _connectionString;

    public SqliteRelationalStore(RelationalStoreOptions options, TimeProvider timeProvider, ILogger<SqliteRelationalStore> logger)
        : base(SqlDialect.Sqlite, options, timeProvider, logger)
    {
        var dataSource = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        _directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        _connectionString = RelationalConnections.Normalize(SqlDialect.Sqlite, options.ConnectionString!, options);
    }

    public override Task MigrateAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            async (connection, ct) =>
            {
                // WAL lets readers run beside the single writer; it is a property of the file, set once here.
                await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL", commandTimeout: MigrationCommandTimeoutSeconds, cancellationToken: ct));

                // SQLite DDL is transactional, and BEGIN IMMEDIATE takes the write lock up front, so a second
                // instance migrating the same file waits (busy_timeout) and then finds the versions recorded.
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(Command(
                    """
                    CREATE TABLE IF NOT EXISTS schema_version (
                      version INTEGER NOT NULL PRIMARY KEY,
                      name TEXT NOT NULL,
                      applied_at TEXT NOT NULL
                    )
                    """,
                    null,
                    transaction,
                    ct));
                var applied = (await connection.QueryAsync<long>(Command("SELECT version FROM schema_version", null, transaction, ct))).ToHashSet();
                var scripts = MigrationScript.Load(SqlDialect.Sqlite);
                var newlyApplied = new List<MigrationScript>();
                foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
                {
                    await connection.ExecuteAsync(Command(script.Sql, null, transaction, ct));
                    await connection.ExecuteAsync(Command(
                        "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @at)",
                        new { script.Version, script.Name, at = TimeProvider.GetUtcNow().UtcDateTime },
                        transaction,
                        ct));
                    newlyApplied.Add(script);
                }

                await transaction.CommitAsync(ct);
                foreach (var script in newlyApplied)
                {
                    RelationalStoreLog.MigrationApplied(Logger, Dialect, script.Version, script.Name);
                }

                RelationalStoreLog.SchemaCurrent(Logger, Dialect, scripts.Count);
                return true;
            },
            cancellationToken);

    protected override async Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // busy_timeout is per connection handle: without it a second writer fails at once with SQLITE_BUSY.
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {Options.CommandTimeoutSeconds * 1000}";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override string Endpoint => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    protected override string SchemaVersionTableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";

    protected override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull or SqliteCantOpen };

    protected override void OnBeforeOpen()
    {
        if (_directory is not null)
        {
            Directory.CreateDirectory(_directory);
        }
    }

    private static CommandDefinition Command(string sql, object? parameters, DbTransaction transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, MigrationCommandTimeoutSeconds, cancellationToken: cancellationToken);
}
