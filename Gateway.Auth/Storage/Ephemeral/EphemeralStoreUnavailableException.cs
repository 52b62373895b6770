namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>The ephemeral store did not answer in time or refused the operation.</summary>
public sealed class EphemeralStoreUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
