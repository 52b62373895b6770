using System.Diagnostics;
using Dapper;

namespace Gateway.Tests.Relational;

/// <summary>What the MySQL driver must do on a real MariaDB, beyond the contract both engines share.</summary>
public sealed class MariaDbDriverTests : IAsyncLifetime
{
    private MariaDbTestDatabase? _database;

    private MariaDbTestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => _database = await MariaDbTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task SixtyFourConcurrentSlowStatementsOverlapInsteadOfQueueingOnThreads()
    {
        // 64 × 0.5 s: a driver that blocks a thread per round trip finishes in waves of the thread pool's size, which
        // grows by about two threads a second (2 cores here: close to 5 s); a truly asynchronous one runs them side by side
        // in about 0.5 s. The bound leaves a shared machine two seconds of slack and still tells the two apart.
        var store = Database.CreateStore(maxConcurrency: 64);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => store.PingAsync()));

        var clock = Stopwatch.StartNew();
        var slept = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => store.ExecuteAsync((c, ct) =>
            c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT SLEEP(0.5)", cancellationToken: ct)))));
        clock.Stop();

        Assert.All(slept, result => Assert.Equal(0, result));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"64 concurrent SLEEP(0.5) took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task AWarningAboutAUtf8mb3ColumnIsReadWithoutAnyCharsetShim()
    {
        // MariaDB 10.6+ names its 3-byte utf8 "utf8mb3" in column metadata and in SHOW WARNINGS; the old driver
        // threw on that name. Reading the warning and the column through the store must simply work.
        var store = await Database.CreateMigratedStoreAsync(maxConcurrency: 1);

        var (version, value, warnings, next) = await store.ExecuteAsync(async (c, ct) =>
        {
            var version = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT VERSION()", cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "CREATE TEMPORARY TABLE legacy_names (name VARCHAR(4) CHARACTER SET utf8mb3 NOT NULL)", cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT IGNORE INTO legacy_names (name) VALUES ('张三丰先生')", cancellationToken: ct));
            var warnings = (await c.QueryAsync<(string Level, long Code, string Message)>(new CommandDefinition("SHOW WARNINGS", cancellationToken: ct))).ToList();
            var value = await c.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT CONCAT(name, CONVERT('!' USING utf8mb3)) FROM legacy_names", cancellationToken: ct));
            var next = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT 'still usable'", cancellationToken: ct));
            return (version, value, warnings, next);
        });

        Assert.True(MariaDbVersion(version) >= new Version(10, 6), $"this test needs MariaDB 10.6 or newer, the server is {version}");
        Assert.Equal("张三丰先!", value);
        Assert.Contains(warnings, w => w.Level == "Warning" && w.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("still usable", next);
    }

    private static Version MariaDbVersion(string? version) =>
        Version.Parse((version ?? "0.0").Split('-')[0]);
}
