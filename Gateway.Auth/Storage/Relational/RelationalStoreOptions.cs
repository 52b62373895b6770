namespace Gateway.Auth.Storage.Relational;

/// <summary>Bound from <c>Storage:Relational</c>.</summary>
public sealed class RelationalStoreOptions
{
    public const string SectionName = "Storage:Relational";

    /// <summary><c>MySql</c> (production) or <c>Sqlite</c> (embedded default).</summary>
    public string Provider { get; set; } = RelationalProviders.Sqlite;

    /// <summary>ADO.NET connection string; for Sqlite <c>Data Source=path</c> (the directory is created).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Concurrent database operations; also the size of the MySQL connection pool (see RelationalStore).</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How long an operation may wait for a free slot before the store reports itself unavailable.</summary>
    public int QueueTimeoutSeconds { get; set; } = 5;

    public int CommandTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Whether start-up applies pending schema scripts (needs CREATE, ALTER, INDEX). When false, start-up only checks
    /// that the schema is current and refuses to start otherwise, so the running gateway's database user needs only
    /// SELECT, INSERT, UPDATE and DELETE; the schema is then applied by <c>Gateway migrate</c> as the owner.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Forced into the MySQL connection string so an unreachable server fails fast.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 3;
}

public static class RelationalProviders
{
    public const string MySql = "MySql";
    public const string Sqlite = "Sqlite";

    internal static readonly string[] All = [MySql, Sqlite];

    internal static SqlDialect? Parse(string? provider) =>
        string.Equals(provider, MySql, StringComparison.OrdinalIgnoreCase) ? SqlDialect.MySql
        : string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase) ? SqlDialect.Sqlite
        : null;
}
