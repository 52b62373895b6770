using Dapper;
using Gateway.Auth.Storage.Relational;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests.Relational;

public sealed class RelationalStoreRegistrationTests
{
    [Fact]
    public void AMissingConnectionStringIsRejectedNamingTheSetting()
    {
        var failure = Validate(new RelationalStoreOptions { Provider = "Sqlite" });

        Assert.Contains("Storage:Relational:ConnectionString is required", failure);
    }

    [Fact]
    public void AnUnknownProviderIsRejectedListingTheValidValues()
    {
        var failure = Validate(new RelationalStoreOptions { Provider = "Postgres", ConnectionString = "Data Source=x.db" });

        Assert.Contains("Storage:Relational:Provider 'Postgres' is not supported", failure);
        Assert.Contains("MySql, Sqlite", failure);
    }

    [Fact]
    public void NonPositiveLimitsAreRejectedNamingTheSetting()
    {
        var failure = Validate(new RelationalStoreOptions { Provider = "MySql", ConnectionString = "Server=127.0.0.1", MaxConcurrency = 0, CommandTimeoutSeconds = -1 });

        Assert.Contains("Storage:Relational:MaxConcurrency must be a positive number", failure);
        Assert.Contains("Storage:Relational:CommandTimeoutSeconds must be a positive number", failure);
    }

    [Fact]
    public void AMySqlConnectionStringWithoutAServerIsRejected()
    {
        var failure = Validate(new RelationalStoreOptions { Provider = "MySql", ConnectionString = "Database=gateway" });

        Assert.Contains("Storage:Relational:ConnectionString is not a valid MySql connection string", failure);
    }

    [Fact]
    public async Task StartingTheHostMigratesTheSchemaBeforeItServes()
    {
        await using var database = new SqliteTestDatabase();
        using var host = BuildHost(database.Options());

        await host.StartAsync();

        var store = host.Services.GetRequiredService<IRelationalStore>();
        Assert.Equal(SqlDialect.Sqlite, store.Dialect);
        var versions = await store.ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_version", cancellationToken: ct)));
        Assert.True(versions >= 1);
        await host.StopAsync();
    }

    [Fact]
    public async Task StartingTheHostFailsWhenTheSchemaCannotBeMigrated()
    {
        await using var database = await MariaDbTestDatabase.CreateAsync();
        var logs = new FakeLoggerProvider();
        var unreachable = database.UnreachableOptions();
        var endpoint = "127.0.0.1:" + new MySqlConnector.MySqlConnectionStringBuilder(unreachable.ConnectionString!).Port;
        using var host = BuildHost(unreachable, logs);

        await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => host.StartAsync());

        // Named by host:port, once, and without the password (docs/production.md, "Start-up errors").
        var named = Assert.Single(logs.Collector.GetSnapshot(), m => m.Message.Contains("Cannot connect to the MySql database at " + endpoint, StringComparison.Ordinal));
        Assert.DoesNotContain("Password", named.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StartingTheHostWithInvalidOptionsFailsNamingTheSetting()
    {
        using var host = BuildHost(new RelationalStoreOptions { Provider = "Oracle" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:Relational:Provider 'Oracle'", exception.Message);
        Assert.Contains("Storage:Relational:ConnectionString is required", exception.Message);
    }

    private static string Validate(RelationalStoreOptions options)
    {
        var result = new RelationalStoreOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }

    private static IHost BuildHost(RelationalStoreOptions options, FakeLoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(RelationalStoreHost.Settings(options));
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddRelationalStore(builder.Configuration);
        return builder.Build();
    }
}
