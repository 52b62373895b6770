using Gateway.Auth.Management;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class MetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The Prometheus scrape endpoint (<c>Telemetry:Prometheus:Path</c>, <c>/metrics</c> by default) on the
    /// management listener only, without the API key, as the JWK Set: Prometheus scrapes it on the private network
    /// and it names no person (docs/observability.md). Nothing is mapped when <c>Telemetry:Prometheus:Enabled</c> is false.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayMetrics(this IEndpointRouteBuilder endpoints)
    {
        var prometheus = endpoints.ServiceProvider.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus;
        if (prometheus.Enabled)
        {
            endpoints.MapPrometheusScrapingEndpoint(prometheus.Path).WithMetadata(ManagementEndpointMetadata.ListenerOnly);
        }

        return endpoints;
    }
}
