using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Gateway.Auth.Storage.Relational;

/// <summary>Dialect-neutral reading of the errors callers race on.</summary>
internal static class RelationalErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>A unique index refused the row: another writer got there first.</summary>
    public static bool IsDuplicateKey(Exception exception) => exception switch
    {
        MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry } => true,
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey } => true,
        _ => false,
    };

    /// <summary>A write lost to a concurrent one and may be retried from the start (InnoDB deadlock or lock wait).</summary>
    public static bool IsRetryableConflict(Exception exception) =>
        IsDuplicateKey(exception) || exception is MySqlException { ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout };
}
