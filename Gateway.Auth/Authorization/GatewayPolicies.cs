namespace Gateway.Auth.Authorization;

/// <summary>
/// The policies every gateway has, for a route's <c>AuthorizationPolicy</c>. Names declared under
/// <c>Gateway:Authorization:Policies</c> join them.
/// </summary>
public static class GatewayPolicies
{
    /// <summary>YARP's own: no session is read and no identity is ever injected, even for a signed-in caller.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>A presented session is read; identity is injected when it is valid, and the request passes without one.</summary>
    public const string Optional = "optional";

    /// <summary>A valid gateway session is needed: 401 JSON, or a redirect into the route's login flow, without one.</summary>
    public const string Required = "required";

    /// <summary>Names a declared policy may not take.</summary>
    internal static readonly IReadOnlyList<string> Reserved = [Anonymous, Optional, Required, "default"];
}
