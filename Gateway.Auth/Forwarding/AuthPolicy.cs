namespace Gateway.Auth.Forwarding;

/// <summary>What a route requires of the caller's session, declared per route in yarp.json metadata.</summary>
public enum AuthPolicy
{
    /// <summary>No identity is ever injected, even for a signed-in caller.</summary>
    Anonymous,

    /// <summary>Identity is injected when the caller has a valid session.</summary>
    Optional,

    /// <summary>Callers without a valid session are refused (401) or sent to log in.</summary>
    Required,
}
