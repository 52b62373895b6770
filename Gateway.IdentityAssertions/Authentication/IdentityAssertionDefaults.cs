namespace Gateway.IdentityAssertions;

public static class IdentityAssertionDefaults
{
    public const string AuthenticationScheme = "GatewayIdentityAssertion";

    public const string DisplayName = "Gateway identity assertion";
}
