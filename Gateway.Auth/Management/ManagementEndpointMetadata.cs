namespace Gateway.Auth.Management;

/// <summary>Marks the endpoints the management listener may serve, and whether they need the API key.</summary>
public sealed class ManagementEndpointMetadata
{
    private ManagementEndpointMetadata(bool requiresApiKey) => RequiresApiKey = requiresApiKey;

    /// <summary>Management-only endpoints: management listener and API key required.</summary>
    public static ManagementEndpointMetadata Protected { get; } = new(requiresApiKey: true);

    /// <summary>Endpoints served on both listeners without credentials (health probes).</summary>
    public static ManagementEndpointMetadata Shared { get; } = new(requiresApiKey: false);

    public bool RequiresApiKey { get; }
}
