namespace Gateway.Auth.Management;

/// <summary>Marks the endpoints the management listener may serve, and whether they need the API key.</summary>
public sealed class ManagementEndpointMetadata
{
    private ManagementEndpointMetadata(bool requiresApiKey, bool managementListenerOnly)
    {
        RequiresApiKey = requiresApiKey;
        ManagementListenerOnly = managementListenerOnly;
    }

    /// <summary>Management-only endpoints: management listener and API key required.</summary>
    public static ManagementEndpointMetadata Protected { get; } = new(requiresApiKey: true, managementListenerOnly: true);

    /// <summary>Endpoints served on both listeners without credentials (health probes).</summary>
    public static ManagementEndpointMetadata Shared { get; } = new(requiresApiKey: false, managementListenerOnly: false);

    /// <summary>
    /// Public information for the services behind the gateway (the JWK Set): management listener only, no API key,
    /// because every downstream fetches it and it holds nothing secret.
    /// </summary>
    public static ManagementEndpointMetadata ListenerOnly { get; } = new(requiresApiKey: false, managementListenerOnly: true);

    public bool RequiresApiKey { get; }

    public bool ManagementListenerOnly { get; }
}
