using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Oidc;

/// <summary>A provider's settings are checked when the gateway starts, and the failure names the setting.</summary>
public sealed class OidcOptionsValidationTests
{
    private static readonly string Yarp = YarpJson.Build(new Uri("http://127.0.0.1:9/"), new TestRoute("api", "/api/{**rest}", "required"));

    [Theory]
    [InlineData("Authority", "not a url", "Oidc:Providers:staff:Authority")]
    [InlineData("Authority", "http://sso.example.com/realms/staff", "Oidc:Providers:staff:RequireHttpsMetadata")]
    [InlineData("ClientId", "", "Oidc:Providers:staff:ClientId")]
    [InlineData("SecretFile", "/no/such/secret", "Oidc:Providers:staff: set exactly one of ClientSecret and SecretFile")]
    [InlineData("BackchannelTimeout", "00:05:00", "Oidc:Providers:staff:BackchannelTimeout")]
    [InlineData("RequiredRoles:0", "cs", "Oidc:Providers:staff:RequiredRoles needs Oidc:Providers:staff:RolesClaim")]
    public void AnInvalidProviderSettingFailsStartUpNamingIt(string setting, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Oidc:Providers:staff:Authority"] = "https://sso.example.com/realms/staff",
            ["Oidc:Providers:staff:ClientId"] = "gateway",
            ["Oidc:Providers:staff:ClientSecret"] = "secret",
        };
        settings["Oidc:Providers:staff:" + setting] = value;

        var failure = GatewayInstance.TryStart(Yarp, settings);

        Assert.NotNull(failure);
        Assert.Contains(named, RoutePolicyValidationTests.AllMessages(failure));
    }
}
