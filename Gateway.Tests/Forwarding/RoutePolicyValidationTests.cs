using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Forwarding;

public sealed class RoutePolicyValidationTests
{
    private static readonly Uri Destination = new("http://127.0.0.1:9/");

    [Theory]
    [InlineData("public")]
    [InlineData("")]
    [InlineData("requird")]
    public void UnknownPolicyFailsStartUpNamingTheRoute(string policy)
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(Destination, new TestRoute("orders-api", "/orders/{**rest}", policy)));

        Assert.NotNull(failure);
        var message = AllMessages(failure);
        Assert.Contains("orders-api", message);
        Assert.Contains("AuthorizationPolicy", message);
    }

    [Fact]
    public void MissingPolicyFailsStartUpNamingTheRoute()
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(Destination, new TestRoute("orders-api", "/orders/{**rest}", Policy: null)));

        Assert.NotNull(failure);
        Assert.Contains("Route 'orders-api' has no AuthorizationPolicy", AllMessages(failure));
    }

    [Fact]
    public void ARouteWhoseTwoPolicyKeysDisagreeFailsStartUpNamingTheNewKey()
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(Destination,
            new TestRoute("orders-api", "/orders/{**rest}", "optional", LegacyPolicy: "required")));

        Assert.NotNull(failure);
        var message = AllMessages(failure);
        Assert.Contains("Route 'orders-api'", message);
        Assert.Contains("keep only AuthorizationPolicy", message);
    }

    [Fact]
    public void AnUnknownLegacyPolicyFailsStartUpNamingTheRouteAndTheKey()
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(Destination, new TestRoute("orders-api", "/orders/{**rest}", Policy: null, LegacyPolicy: "public")));

        Assert.NotNull(failure);
        Assert.Contains("Route 'orders-api' has Metadata.AuthPolicy 'public'", AllMessages(failure));
    }

    [Theory]
    [InlineData("Gateway:Authorization:Policies:required:RequireRoles:0", "staff", "Gateway:Authorization:Policies:required")]
    [InlineData("Gateway:Authorization:Policies:empty:RequireClaims:0:Values:0", "x", "Gateway:Authorization:Policies:empty:RequireClaims:0:Type is required")]
    [InlineData("Gateway:Authorization:Roles:staff:PersonIds:0", "0", "Gateway:Authorization:Roles:staff:PersonIds")]
    public void ABadPolicyOrRoleDeclarationFailsStartUpNamingTheSetting(string key, string value, string expected)
    {
        var failure = GatewayInstance.TryStart(
            YarpJson.Build(Destination, new TestRoute("orders-api", "/orders/{**rest}", "required")),
            new Dictionary<string, string?> { [key] = value });

        Assert.NotNull(failure);
        Assert.Contains(expected, AllMessages(failure));
    }

    [Fact]
    public void ARouteNamingADeclaredPolicyStarts()
    {
        Assert.Null(GatewayInstance.TryStart(
            YarpJson.Build(Destination, new TestRoute("orders-api", "/orders/{**rest}", "Staff-Only")),
            new Dictionary<string, string?> { ["Gateway:Authorization:Policies:staff-only:RequireRoles:0"] = "staff" }));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/AUTH/wechat/{**rest}")]
    [InlineData("/_gateway/{**rest}")]
    public void RouteShadowingAGatewayPathFailsStartUp(string path)
    {
        var failure = GatewayInstance.TryStart(YarpJson.Build(Destination, new TestRoute("shadow", path)));

        Assert.NotNull(failure);
        Assert.Contains("Route 'shadow' matches", AllMessages(failure));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("Optional")]
    [InlineData("REQUIRED")]
    public void KnownPoliciesStartInAnyCase(string policy)
    {
        Assert.Null(GatewayInstance.TryStart(YarpJson.Build(Destination, new TestRoute("orders-api", "/orders/{**rest}", policy))));
    }

    internal static string AllMessages(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(AllMessages));
            }
        }

        return string.Join(" | ", messages);
    }
}
