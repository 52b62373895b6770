using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Relational;

internal static class RelationalStoreFactory
{
    public static RelationalStore Create(RelationalStoreOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        RelationalProviders.Parse(options.Provider) switch
        {
            SqlDialect.MySql => new MySqlRelationalStore(options, timeProvider, loggerFactory.CreateLogger<MySqlRelationalStore>()),
            SqlDialect.Sqlite => new SqliteRelationalStore(options, timeProvider, loggerFactory.CreateLogger<SqliteRelationalStore>()),
            _ => throw new InvalidOperationException($"{RelationalStoreOptions.SectionName}:Provider '{options.Provider}' is not supported; valid values are {string.Join(", ", RelationalProviders.All)}."),
        };
}
