using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySql.Data.MySqlClient;

namespace Gateway.Auth.Storage.Relational;

/// <summary>
/// Builds connections with the settings the gateway depends on forced in, whatever the operator wrote:
/// utf8mb4 (emoji nicknames), pooling (opening a MySQL connection costs ~0.1 s) and short timeouts.
/// </summary>
internal static class RelationalConnections
{
    private static int _sqliteInitialized;

    public static string Normalize(SqlDialect dialect, string connectionString, RelationalStoreOptions options) =>
        dialect switch
        {
            SqlDialect.MySql => new MySqlConnectionStringBuilder(connectionString)
            {
                CharacterSet = "utf8mb4",
                Pooling = true,
                ConnectionTimeout = (uint)options.ConnectTimeoutSeconds,
                DefaultCommandTimeout = (uint)options.CommandTimeoutSeconds,
                // One slot per concurrent operation plus headroom for the migration lock connection.
                MaximumPoolSize = (uint)Math.Max(options.MaxConcurrency + 2, 8),
            }.ConnectionString,
            _ => new SqliteConnectionStringBuilder(connectionString)
            {
                Pooling = true,
                ForeignKeys = true,
                DefaultTimeout = options.CommandTimeoutSeconds,
            }.ConnectionString,
        };

    public static DbConnection Create(SqlDialect dialect, string normalizedConnectionString)
    {
        if (dialect == SqlDialect.MySql)
        {
            MySqlCharSetAliases.EnsureRegistered();
            return new MySqlConnection(normalizedConnectionString);
        }

        if (Interlocked.Exchange(ref _sqliteInitialized, 1) == 0)
        {
            // Microsoft.Data.Sqlite.Core has no bundle of its own: the native e_sqlite3 provider is wired once.
            SQLitePCL.Batteries_V2.Init();
        }

        return new SqliteConnection(normalizedConnectionString);
    }

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
