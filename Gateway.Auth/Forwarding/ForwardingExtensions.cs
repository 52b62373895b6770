using Gateway.Auth.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Auth.Forwarding;

public static class ForwardingExtensions
{
    /// <summary>
    /// YARP driven by the <c>ReverseProxy</c> configuration section (yarp.json), with the gateway's policies and
    /// identity transform. Needs <c>AddIdentityAssertions</c> and <c>AddGatewaySessions</c>.
    /// </summary>
    public static IReverseProxyBuilder AddGatewayProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayProxyOptions>().Bind(configuration.GetSection(GatewayProxyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayProxyOptions>, GatewayProxyOptionsValidator>();
        services.AddSingleton<IForwarderHttpClientFactory, GatewayForwarderHttpClientFactory>();
        services.AddSingleton<StrippedHeaders>();

        return services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<GatewayProxyConfigFilter>()
            .AddTransforms<IdentityTransformProvider>();
    }

    /// <summary>
    /// Maps every yarp.json route behind the route policy (session check, 401 or login redirect), and a JSON 404
    /// for paths no route or gateway endpoint serves.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayProxy(this IEndpointRouteBuilder endpoints, Action<IReverseProxyApplicationBuilder>? pipeline = null)
    {
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.Use(ForwarderErrorResponses.WriteOnFailure);
            proxy.Use(RequestBodyLimit.For(endpoints.ServiceProvider));
            proxy.UseMiddleware<RoutePolicyMiddleware>();
            pipeline?.Invoke(proxy);
        });

        endpoints.MapFallback("{**path}", () => ErrorResponse.Result(
            StatusCodes.Status404NotFound, "route_not_found", "No route serves this path."));
        return endpoints;
    }
}
