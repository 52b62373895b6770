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
