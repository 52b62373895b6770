using Microsoft.Extensions.Options;

namespace Gateway.Auth.Telemetry;

/// <summary>Settings under <c>Telemetry</c> (docs/observability.md).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The <c>service.name</c> resource attribute every metric and span carries.</summary>
    public string ServiceName { get; set; } = "wechat-gateway";

    public OtlpTelemetryOptions Otlp { get; set; } = new();

    public PrometheusTelemetryOptions Prometheus { get; set; } = new();
}

/// <summary>
/// <c>Telemetry:Otlp</c>: with an endpoint, metrics and traces are exported over OTLP. Without one the gateway
/// records no spans at all, so the proxy path pays for no tracing nobody collects.
/// </summary>
public sealed class OtlpTelemetryOptions
{
    /// <summary>For example <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (the default) or <c>HttpProtobuf</c>.</summary>
    public string Protocol { get; set; } = "Grpc";

    /// <summary>How long one export may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the metrics are sent (spans go in batches every few seconds whatever this is).</summary>
    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromMinutes(1);

    internal Uri? EndpointUri => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) ? uri : null;
}

/// <summary><c>Telemetry:Prometheus</c>: the scrape endpoint on the management listener.</summary>
public sealed class PrometheusTelemetryOptions
{
    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/metrics";
}

internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    internal static readonly string[] Protocols = ["Grpc", "HttpProtobuf"];

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        const string At = TelemetryOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add($"{At}:ServiceName must not be empty.");
        }

        if (!string.IsNullOrEmpty(options.Otlp.Endpoint) && options.Otlp.EndpointUri is not { Scheme: "http" or "https" })
        {
            failures.Add($"{At}:Otlp:Endpoint must be an absolute http or https URL, such as http://otel-collector:4317 (is '{options.Otlp.Endpoint}').");
        }

        if (!Protocols.Contains(options.Otlp.Protocol, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{At}:Otlp:Protocol must be {string.Join(" or ", Protocols)} (is '{options.Otlp.Protocol}').");
        }

        if (options.Otlp.Timeout <= TimeSpan.Zero || options.Otlp.Timeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{At}:Otlp:Timeout must be between 00:00:00.001 and 00:01:00 (is {options.Otlp.Timeout}).");
        }

        if (options.Otlp.MetricExportInterval < TimeSpan.FromSeconds(1) || options.Otlp.MetricExportInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{At}:Otlp:MetricExportInterval must be between 00:00:01 and 01:00:00 (is {options.Otlp.MetricExportInterval}).");
        }

        var path = options.Prometheus.Path;
        if (options.Prometheus.Enabled && (string.IsNullOrEmpty(path) || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal)
            || !path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.')))
        {
            failures.Add($"{At}:Prometheus:Path must be a local path such as /metrics (is '{path}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
