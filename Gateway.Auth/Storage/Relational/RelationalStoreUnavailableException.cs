namespace Gateway.Auth.Storage.Relational;

/// <summary>The database could not be reached, or no connection slot was free in time.</summary>
public sealed class RelationalStoreUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
