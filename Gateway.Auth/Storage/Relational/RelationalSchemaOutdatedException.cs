namespace Gateway.Auth.Storage.Relational;

/// <summary>The schema lacks scripts and start-up may not apply them (<c>Storage:Relational:MigrateOnStart=false</c>).</summary>
public sealed class RelationalSchemaOutdatedException(string message) : Exception(message);
