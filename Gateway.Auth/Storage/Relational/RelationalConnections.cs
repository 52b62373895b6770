using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Gateway.Auth.Storage.Relational;

/// <summary>
/// Builds connections with the settings the gateway depends on forced in, whatever the operator wrote:
/// utf8mb4 (emoji nicknames), pooling (opening a MySQL connection costs a handshake) and short timeouts.
/// </summary>
internal static class RelationalConnections
{
    public static string Normalize(SqlDialect dialect, string connectionString, RelationalStoreOptions options) =>
        dialect switch
        {
            SqlDialect.MySql => new MySqlConnectionStringBuilder(connectionString)
            {
                CharacterSet = "utf8mb4",
                Pooling = true,
                ConnectionTimeout = (uint)options.ConnectTimeoutSeconds,
                DefaultCommandTimeout = (uint)options.CommandTimeoutSeconds,
                // The store never holds more connections than slots (see RelationalStore), so the pool needs no more.
                MaximumPoolSize = (uint)options.MaxConcurrency,
                MinimumPoolSize = 0,
            }.ConnectionString,
            _ => new SqliteConnectionStringBuilder(connectionString)
            {
                Pooling = true,
                ForeignKeys = true,
                DefaultTimeout = options.CommandTimeoutSeconds,
            }.ConnectionString,
        };

    /// <summary>The gateway's one MySQL data source (its connection pool), owned and disposed by the host.</summary>
    public static MySqlDataSource CreateMySqlDataSource(RelationalStoreOptions options, ILoggerFactory loggerFactory) =>
        new MySqlDataSourceBuilder(Normalize(SqlDialect.MySql, options.ConnectionString!, options))
            .UseLoggerFactory(loggerFactory)
            .Build();

    /// <summary>A connection of its own, outside the gateway's pool (the legacy user table may live elsewhere).</summary>
    public static DbConnection Create(SqlDialect dialect, string normalizedConnectionString) =>
        dialect == SqlDialect.MySql
            ? new MySqlConnection(normalizedConnectionString)
            : new SqliteConnection(normalizedConnectionString);

    public static bool TryValidate(SqlDialect dialect, string connectionString, out string? error)
    {
        try
        {
            var dataSource = dialect == SqlDialect.MySql
                ? new MySqlConnectionStringBuilder(connectionString).Server
                : new SqliteConnectionStringBuilder(connectionString).DataSource;
            error = string.IsNullOrWhiteSpace(dataSource)
                ? dialect == SqlDialect.MySql ? "Server is missing." : "Data Source is missing."
                : null;
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
        }

        return error is null;
    }
}
