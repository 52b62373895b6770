using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Relational;

internal static partial class RelationalStoreLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Error, Message = "Cannot connect to the {Dialect} database at {Endpoint}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, SqlDialect dialect, string endpoint, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "The {Dialect} database did not answer.")]
    public static partial void OperationFailed(ILogger logger, SqlDialect dialect, Exception exception);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "All {MaxConcurrency} database slots stayed busy for {QueueTimeoutSeconds} s.")]
    public static partial void NoSlot(ILogger logger, int maxConcurrency, int queueTimeoutSeconds);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Applied {Dialect} schema migration {Version} ({Name}).")]
    public static partial void MigrationApplied(ILogger logger, SqlDialect dialect, int version, string name);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Critical, Message = "The relational store schema could not be migrated; the gateway will not start.")]
    public static partial void MigrationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "The {Dialect} schema is at version {Version}.")]
    public static partial void SchemaCurrent(ILogger logger, SqlDialect dialect, int version);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Storage:Relational:MigrateOnStart is false: the {Dialect} schema was checked, not migrated.")]
    public static partial void SchemaChecked(ILogger logger, SqlDialect dialect);
}
