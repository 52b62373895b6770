using System.Diagnostics;

namespace Gateway.Auth.Telemetry;

/// <summary>
/// The names operators configure collectors with: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="ActivitySource"/>, both called <c>Gateway</c> (docs/observability.md).
/// </summary>
public static class GatewayTelemetry
{
    public const string Name = "Gateway";

    /// <summary>
    /// Spans of logins and of the calls they make. Static, as the .NET tracing model expects: a span costs nothing
    /// while no listener (an OTLP exporter, dotnet-trace) asks for this source.
    /// </summary>
    internal static ActivitySource Source { get; } = new(Name);
}
