using System.Diagnostics.Metrics;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry from the <c>Telemetry</c> section: the <c>Gateway</c> meter with ASP.NET Core, HttpClient and
    /// runtime metrics, read by the Prometheus endpoint (<c>MapGatewayMetrics</c>) and exported over OTLP when
    /// <c>Telemetry:Otlp:Endpoint</c> is set; with that endpoint also traces (the <c>Gateway</c> source, ASP.NET
    /// Core, HttpClient). The access log (<c>Gateway:AccessLog</c>) is registered here too.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.AddOptions<AccessLogOptions>().Bind(configuration.GetSection(AccessLogOptions.SectionName));
        services.AddGatewayMetrics();

        // Read here because the providers are built from it; the validator above turns a bad value into a start-up error,
        // and a value that does not convert is listed by the host's start-up check with the rest, so it must not throw here.
        TelemetryOptions settings;
        try
        {
            settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        }
        catch (InvalidOperationException)
        {
            settings = new TelemetryOptions();
        }
        var otlp = settings.Otlp.EndpointUri;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(settings.ServiceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(GatewayTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
            OnlyThisHostsMeters(metrics);
            if (settings.Prometheus.Enabled)
            {
                // No cached answer: every scrape shows every measurement made before it.
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (otlp is not null)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, settings.Otlp, otlp, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.Otlp.MetricExportInterval.TotalMilliseconds;
                });
            }
        });
        if (otlp is not null)
        {
            // Query strings stay redacted in url.full and url.query (the instrumentations' default): WeChat URLs carry secrets and codes.
            telemetry.WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => Configure(exporter, settings.Otlp, otlp, "v1/traces")));
        }

        return services;
    }

    /// <summary>The instruments every feature records into; registered by each feature's <c>AddX</c>, so hosts need not know.</summary>
    internal static IServiceCollection AddGatewayMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        return services;
    }

    /// <summary>
    /// A listener sees every meter of the process. Meters a host creates through its <see cref="IMeterFactory"/>
    /// (the Gateway meter, ASP.NET Core's) are read only by that host's provider, so two gateways in one process
    /// (an application embedding it, the tests) neither count each other's requests nor, when one stops, end the
    /// other's series. Process-wide meters (runtime, HttpClient) have no factory and stay shared.
    /// </summary>
    private static void OnlyThisHostsMeters(MeterProviderBuilder metrics)
    {
        if (metrics is IDeferredMeterProviderBuilder deferred)
        {
            deferred.Configure((provider, builder) =>
            {
                var own = provider.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
                    ? MetricStreamConfiguration.Drop
                    : null);
            });
        }
    }

    private static void Configure(OtlpExporterOptions exporter, OtlpTelemetryOptions options, Uri endpoint, string httpPath)
    {
        var http = string.Equals(options.Protocol, "HttpProtobuf", StringComparison.OrdinalIgnoreCase);
        exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // Over HTTP each signal has its own path; a bare collector address gets the standard one.
        exporter.Endpoint = http && endpoint.AbsolutePath == "/" ? new Uri(endpoint, httpPath) : endpoint;
        exporter.TimeoutMilliseconds = (int)options.Timeout.TotalMilliseconds;
    }
}
