using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Gateway.Auth.Storage.Relational;

internal static class RelationalStoreFactory
{
    /// <param name="mySqlDataSource">Asked for only when the provider is MySql, so SQLite hosts never build one.</param>
    public static RelationalStore Create(RelationalStoreOptions options, Func<MySqlDataSource> mySqlDataSource, TimeProvider timeProvider, ILoggerFactory loggerFactory, GatewayMetrics? metrics = null) =>
        RelationalProviders.Parse(options.Provider) switch
        {
            SqlDialect.MySql => new MySqlRelationalStore(options, mySqlDataSource(), timeProvider, loggerFactory.CreateLogger<MySqlRelationalStore>()) { Metrics = metrics },
            SqlDialect.Sqlite => new SqliteRelationalStore(options, timeProvider, loggerFactory.CreateLogger<SqliteRelationalStore>()) { Metrics = metrics },
            _ => throw new InvalidOperationException($"{RelationalStoreOptions.SectionName}:Provider '{options.Provider}' is not supported; valid values are {string.Join(", ", RelationalProviders.All)}."),
        };
}
