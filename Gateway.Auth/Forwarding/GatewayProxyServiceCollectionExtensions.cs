using Gateway.Auth.Forwarding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Microsoft.Extensions.DependencyInjection;

public static class GatewayProxyServiceCollectionExtensions
{
    /// <summary>
    /// YARP driven by the <c>ReverseProxy</c> configuration section (yarp.json), every route checked at start-up
    /// (its <c>AuthorizationPolicy</c> must exist), with the identity transform. Needs <c>AddIdentityAssertions</c>,
    /// <c>AddGatewaySessions</c> and <c>AddGatewayAuthorization</c>.
    /// </summary>
    public static IReverseProxyBuilder AddGatewayProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayProxyOptions>().Bind(configuration.GetSection(GatewayProxyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayProxyOptions>, GatewayProxyOptionsValidator>();
        services.AddSingleton<IForwarderHttpClientFactory, GatewayForwarderHttpClientFactory>();
        services.AddSingleton<StrippedHeaders>();
        services.AddGatewayMetrics();

        return services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<GatewayProxyConfigFilter>()
            .AddTransforms<IdentityTransformProvider>();
    }
}
