using System.Diagnostics;

namespace Gateway.Tests.Telemetry;

/// <summary>A W3C trace context a client starts, so a test can find its request in logs, spans and downstream.</summary>
public sealed record Traceparent(string TraceId, string SpanId)
{
    public static Traceparent New() => new(ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());

    public string Header => $"00-{TraceId}-{SpanId}-01";

    public HttpRequestMessage On(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("traceparent", Header);
        return request;
    }
}
