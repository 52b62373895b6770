namespace Gateway.Auth.Forwarding;

/// <summary>A line of the management route table.</summary>
public sealed record RouteTableEntry(string RouteId, string? Path, string? ClusterId, string? AuthorizationPolicy);
