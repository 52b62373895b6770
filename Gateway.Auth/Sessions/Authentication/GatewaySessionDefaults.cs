namespace Gateway.Auth.Sessions.Authentication;

/// <summary>The gateway session's authentication scheme.</summary>
public static class GatewaySessionDefaults
{
    public const string AuthenticationScheme = "GatewaySession";
}
