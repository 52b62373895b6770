using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Gateway.Auth.Storage.Relational;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests.Relational;

/// <summary>The contract of <see cref="IRelationalStore"/>; each engine runs these tests unchanged.</summary>
public abstract class RelationalStoreConformanceTests : IAsyncLifetime
{
    private TestDatabase? _database;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigratingTwiceRecordsEachVersionOnce()
    {
        using var store = Database.CreateStore();
        await store.MigrateAsync();
        await store.MigrateAsync();

        var versions = await store.ExecuteAsync((c, ct) => c.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_version ORDER BY version", cancellationToken: ct)));
        Assert.Equal(Enumerable.Range(1, versions.Count()), versions);
        Assert.Contains(1, versions);
    }

    [Fact]
    public async Task TwoInstancesStartingTogetherApplyEachScriptOnce()
    {
        using var first = Database.CreateStore();
        using var second = Database.CreateStore();

        await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => second.MigrateAsync()));

        var rows = await first.ExecuteAsync((c, ct) => c.QueryAsync<(int Version, int Count)>(new CommandDefinition(
            "SELECT version, COUNT(*) FROM schema_version GROUP BY version", cancellationToken: ct)));
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(1, row.Count));
    }

    [Fact]
    public async Task FourByteEmojiRoundTripsUnchanged()
    {
        using var store = await Database.CreateMigratedStoreAsync();
        const string nickname = "小明😀🐉𠜎 👨‍👩‍👧";

        var stored = await store.ExecuteAsync(async (c, ct) =>
        {
            await InsertPersonAsync(c, "emoji-union", nickname, ct);
            return await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT nickname FROM persons WHERE union_id = @u", new { u = "emoji-union" }, cancellationToken: ct));
        });

        Assert.Equal(nickname, stored);
    }

    [Fact]
    public async Task FiftyConcurrentOperationsAllCompleteWithoutExceedingMaxConcurrency()
    {
        using var store = await Database.CreateMigratedStoreAsync(maxConcurrency: 4);
        var inside = 0;
        var peak = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => store.ExecuteAsync(async (c, ct) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref peak, now);
            try
            {
                await InsertPersonAsync(c, $"concurrent-{i}", $"n{i}", ct);
                return true;
            }
            finally
            {
                Interlocked.Decrement(ref inside);
            }
        }))));

        var count = await store.ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM persons WHERE union_id LIKE 'concurrent-%'", cancellationToken: ct)));
        Assert.Equal(50, count);
        Assert.InRange(peak, 1, 4);
    }

    [Fact]
    public async Task FiftyConcurrentInsertsOfOneUniqueKeyLeaveExactlyOneRowAndReportTheOthersAsDuplicates()
    {
        using var store = await Database.CreateMigratedStoreAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            try
            {
                await store.ExecuteAsync(async (c, ct) => { await InsertPersonAsync(c, "raced-union", null, ct); return true; });
                return "inserted";
            }
            catch (DbException exception) when (RelationalErrors.IsDuplicateKey(exception))
            {
                return "duplicate";
            }
        })));

        Assert.Single(outcomes, o => o == "inserted");
        Assert.Equal(49, outcomes.Count(o => o == "duplicate"));
        var count = await store.ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM persons WHERE union_id = 'raced-union'", cancellationToken: ct)));
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task AStatementRaisingAServerWarningLeavesThePooledConnectionUsable()
    {
        // On MariaDB this raises "Truncated incorrect INTEGER value" (the connection then carries a warning
        // count); SQLite casts silently. Both must answer 0 and stay usable.
        using var store = await Database.CreateMigratedStoreAsync(maxConcurrency: 1);

        for (var round = 0; round < 3; round++)
        {
            var (cast, next) = await store.ExecuteAsync(async (c, ct) =>
            {
                var value = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT CAST('x' AS UNSIGNED)", cancellationToken: ct));
                var after = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT 'still usable'", cancellationToken: ct));
                return (value, after);
            });
            Assert.Equal(0, cast);
            Assert.Equal("still usable", next);
        }

        Assert.Equal(1L, await store.ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_version WHERE version = 1", cancellationToken: ct))));
    }

    [Fact]
    public async Task AnUnreachableDatabaseFailsFastAsUnavailable()
    {
        var store = Database.Host(Database.UnreachableOptions()).Store;
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => store.PingAsync());
        await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => store.MigrateAsync());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsLoggedOnceNamingItsEndpointNotOncePerOperation()
    {
        var logs = new FakeLoggerProvider();
        var store = Database.Host(Database.UnreachableOptions(), logs: logs).Store;

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => store.PingAsync());
        }

        var logged = Assert.Single(logs.Collector.GetSnapshot(), entry => entry.Level >= LogLevel.Warning);
        Assert.Equal(3100, logged.Id.Id);
        Assert.StartsWith($"Cannot connect to the {store.Dialect} database at ", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitingLongerThanTheQueueTimeoutForASlotFailsAsUnavailable()
    {
        using var store = Database.CreateStore(maxConcurrency: 1, queueTimeoutSeconds: 1);
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var holder = store.ExecuteAsync(async (_, _) => { entered.SetResult(); await release.Task; return true; });
        await entered.Task;

        var exception = await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => store.PingAsync());
        Assert.Contains("MaxConcurrency", exception.Message);

        release.SetResult();
        await holder;
        await store.PingAsync();
    }

    [Fact]
    public async Task AFailingStatementIsReportedAsItselfNotAsUnavailable()
    {
        using var store = await Database.CreateMigratedStoreAsync();

        var exception = await Assert.ThrowsAnyAsync<DbException>(() =>
            store.ExecuteAsync((c, ct) => c.ExecuteAsync(new CommandDefinition("SELECT * FROM no_such_table", cancellationToken: ct))));
        Assert.IsNotType<RelationalStoreUnavailableException>(exception);
    }

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static Task InsertPersonAsync(DbConnection connection, string unionId, string? nickname, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO persons (union_id, nickname, disabled, created_at, updated_at) VALUES (@unionId, @nickname, 0, @now, @now)",
            new { unionId, nickname, now = DateTime.UtcNow },
            cancellationToken: ct));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

public sealed class MariaDbRelationalStoreTests : RelationalStoreConformanceTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await MariaDbTestDatabase.CreateAsync();
}

public sealed class SqliteRelationalStoreTests : RelationalStoreConformanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
