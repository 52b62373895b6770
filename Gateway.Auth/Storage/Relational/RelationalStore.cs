using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dapper;
using Gateway.Auth.Storage.Relational.Migrations;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Relational;

/// <summary>
/// What both dialects share: a slot per concurrent operation, a fresh pooled connection per operation, and the
/// translation of "cannot reach the database" into one exception type.
/// </summary>
/// <remarks>
/// MySqlConnector is truly asynchronous, so the slots no longer guard threads. They stay for MySQL because the
/// driver's own pool, once full, makes a burst wait for ConnectTimeoutSeconds, the same budget as a TCP connect,
/// and then fails with a connect error: the slots make a burst queue in process for QueueTimeoutSeconds, fail with
/// an error naming MaxConcurrency, and never ask the pool (sized to the slot count) for more connections than it
/// holds, so this instance's share of the server's max_connections stays exactly MaxConcurrency.
/// </remarks>
internal abstract class RelationalStore : IRelationalStore, IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _queueTimeout;
    private readonly OutageLog _outage;

    protected RelationalStore(SqlDialect dialect, RelationalStoreOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Dialect = dialect;
        Options = options;
        TimeProvider = timeProvider;
        Logger = logger;
        CommandTimeoutSeconds = options.CommandTimeoutSeconds;
        MaxConcurrency = EffectiveConcurrency(dialect, options.MaxConcurrency);
        _slots = new SemaphoreSlim(MaxConcurrency, MaxConcurrency);
        _queueTimeout = TimeSpan.FromSeconds(options.QueueTimeoutSeconds);
        _outage = new OutageLog(logger, () => $"The {Dialect} database at {Endpoint}", timeProvider);
    }

    public SqlDialect Dialect { get; }

    /// <summary>
    /// SQLite has one writer per file, and waiting on its lock is slow (the bundled e_sqlite3 busy handler sleeps
    /// in whole seconds): queueing in process is far faster, so SQLite work runs one operation at a time.
    /// </summary>
    public int MaxConcurrency { get; }

    public int CommandTimeoutSeconds { get; }

    protected RelationalStoreOptions Options { get; }

    protected TimeProvider TimeProvider { get; }

    protected ILogger Logger { get; }

    /// <summary>Where operations are measured (<c>gateway.database.operation.duration</c>); none in hosts without metrics.</summary>
    internal GatewayMetrics? Metrics { get; init; }

    /// <summary>Migrations may rebuild tables; they get more time than request-path statements.</summary>
    protected static int MigrationCommandTimeoutSeconds => 120;

    public async Task<T> ExecuteAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default, [CallerMemberName] string operation = "")
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = TimeProvider.GetTimestamp();
        using var activity = GatewayTelemetry.Source.StartActivity("db", ActivityKind.Client);
        if (activity is not null)
        {
            activity.DisplayName = "db " + operation;
            activity.SetTag("db.system", System);
            activity.SetTag("db.operation", operation);
        }

        var failed = false;
        try
        {
            return await ExecuteInSlotAsync(work, cancellationToken);
        }
        catch (RelationalStoreUnavailableException)
        {
            failed = true;
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
        finally
        {
            Metrics?.DatabaseOperation(System, operation, failed, TimeProvider.GetElapsedTime(started));
        }
    }

    private string System => Dialect == SqlDialect.MySql ? "mysql" : "sqlite";

    private async Task<T> ExecuteInSlotAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_queueTimeout, cancellationToken))
        {
            RelationalStoreLog.NoSlot(Logger, MaxConcurrency, Options.QueueTimeoutSeconds);
            throw new RelationalStoreUnavailableException(
                $"No database slot became free within {Options.QueueTimeoutSeconds} s ({MaxConcurrency} concurrent operations allowed; Storage:Relational:MaxConcurrency is {Options.MaxConcurrency}).");
        }

        try
        {
            await using var connection = CreateConnection();
            await OpenAsync(connection, cancellationToken);
            try
            {
                var result = await work(connection, cancellationToken);
                _outage.Answered();
                return result;
            }
            catch (Exception exception) when (IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
            {
                if (_outage.Failed(exception.Message))
                {
                    RelationalStoreLog.OperationFailed(Logger, Dialect, exception);
                }

                throw new RelationalStoreUnavailableException($"The {Dialect} database did not answer: {exception.Message}", exception);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            async (connection, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                command.CommandTimeout = CommandTimeoutSeconds;
                return await command.ExecuteScalarAsync(ct);
            },
            cancellationToken);

    public abstract Task MigrateAsync(CancellationToken cancellationToken = default);

    public Task<IReadOnlyList<int>> PendingMigrationsAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync<IReadOnlyList<int>>(
            async (connection, ct) =>
            {
                // Reads only (SELECT on schema_version and the catalogue), so a least-privilege user can ask.
                var scripts = MigrationScript.Load(Dialect);
                var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(SchemaVersionTableExistsSql, commandTimeout: CommandTimeoutSeconds, cancellationToken: ct));
                var applied = exists > 0
                    ? (await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_version", commandTimeout: CommandTimeoutSeconds, cancellationToken: ct))).ToHashSet()
                    : [];
                return scripts.Select(script => script.Version).Where(version => !applied.Contains(version)).ToList();
            },
            cancellationToken);

    public void Dispose() => _slots.Dispose();

    /// <summary>Where the database is, for messages: host:port for MySQL, the file for SQLite. Never the credentials.</summary>
    protected abstract string Endpoint { get; }

    /// <summary>Counts the schema_version table (0 or 1) in the current database.</summary>
    protected abstract string SchemaVersionTableExistsSql { get; }

    /// <summary>A new, closed connection from the dialect's pool.</summary>
    protected abstract DbConnection CreateConnection();

    /// <summary>Errors that mean the database is unreachable or overloaded, as opposed to a failing statement.</summary>
    protected abstract bool IsUnavailable(Exception exception);

    protected virtual void OnBeforeOpen()
    {
    }

    protected virtual Task PrepareConnectionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    private static int EffectiveConcurrency(SqlDialect dialect, int configured) => dialect == SqlDialect.Sqlite ? 1 : configured;

    private async Task OpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            OnBeforeOpen();
            await connection.OpenAsync(cancellationToken);
            await PrepareConnectionAsync(connection, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The message only, once per outage (OutageLog): the stack travels in the exception, which its handler
            // (the host at start-up) logs once.
            if (_outage.Failed(exception.Message))
            {
                RelationalStoreLog.ConnectFailed(Logger, Dialect, Endpoint, exception.Message);
            }

            throw new RelationalStoreUnavailableException($"Cannot connect to the {Dialect} database at {Endpoint}: {exception.Message}", exception);
        }
    }
}
