using System.Net;
using System.Net.Sockets;
using Gateway.Auth.Storage.Relational;
using Gateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Relational;

/// <summary>A fresh, empty database on one of the two real engines, dropped afterwards.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    private readonly List<RelationalStoreHost> _hosts = [];

    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    public RelationalStoreOptions Options(int maxConcurrency = 16, int queueTimeoutSeconds = 5) => new()
    {
        Provider = Provider,
        ConnectionString = ConnectionString,
        MaxConcurrency = maxConcurrency,
        QueueTimeoutSeconds = queueTimeoutSeconds,
    };

    /// <summary>A store of its own (its own MySQL pool), closed when the database is disposed.</summary>
    internal RelationalStore CreateStore(int maxConcurrency = 16, int queueTimeoutSeconds = 5, TimeProvider? time = null) =>
        Host(Options(maxConcurrency, queueTimeoutSeconds), time).Store;

    /// <summary>A store for other options (say, <see cref="UnreachableOptions"/>), closed when the database is disposed.</summary>
    internal RelationalStoreHost Host(RelationalStoreOptions options, TimeProvider? time = null, ILoggerProvider? logs = null)
    {
        var host = RelationalStoreHost.Create(options, time, logs);
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }

    internal async Task<RelationalStore> CreateMigratedStoreAsync(int maxConcurrency = 16, TimeProvider? time = null)
    {
        var store = CreateStore(maxConcurrency, time: time);
        await store.MigrateAsync();
        return store;
    }

    /// <summary>Options naming this engine at an address where nothing answers.</summary>
    public abstract RelationalStoreOptions UnreachableOptions();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await DropAsync();
    }

    protected abstract ValueTask DropAsync();
}

public sealed class MariaDbTestDatabase : TestDatabase
{
    private MariaDbTestDatabase(string connectionString) => ConnectionString = connectionString;

    public override string Provider => RelationalProviders.MySql;

    public override string ConnectionString { get; }

    public static async Task<MariaDbTestDatabase> CreateAsync() => new(await TestServers.CreateMySqlDatabaseAsync());

    public override RelationalStoreOptions UnreachableOptions()
    {
        // A port that was free a moment ago on loopback: connection refused, never a hang.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new RelationalStoreOptions
        {
            Provider = Provider,
            ConnectionString = $"Server=127.0.0.1;Port={port};User ID=nobody;Password=none;SslMode=None",
            ConnectTimeoutSeconds = 2,
        };
    }

    protected override async ValueTask DropAsync() => await TestServers.DropMySqlDatabaseAsync(ConnectionString);
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gwtest-sqlite-" + Guid.NewGuid().ToString("N")[..12]);

    public override string Provider => RelationalProviders.Sqlite;

    // The nested directory does not exist yet: the store must create it.
    public override string ConnectionString => $"Data Source={Path.Combine(_directory, "data", "gateway.db")}";

    public override RelationalStoreOptions UnreachableOptions()
    {
        Directory.CreateDirectory(_directory);
        var blocker = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(blocker, "a file where the database directory should be");
        return new RelationalStoreOptions { Provider = Provider, ConnectionString = $"Data Source={Path.Combine(blocker, "gateway.db")}" };
    }

    protected override ValueTask DropAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
