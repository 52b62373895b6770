namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>Which backend holds the ephemeral state (<c>Storage:Ephemeral:Provider</c>).</summary>
public enum EphemeralStoreProvider
{
    /// <summary>Process memory: the embedded default, for a single gateway instance.</summary>
    Memory,

    /// <summary>Redis, shared by every gateway instance: the production choice.</summary>
    Redis,
}
