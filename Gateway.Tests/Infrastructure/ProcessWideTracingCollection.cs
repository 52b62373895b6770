namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Tests that start a gateway with an OTLP endpoint run alone, after the parallel ones: its tracer provider instruments
/// every HttpClient of the test process, which then sends the traceparent of its own span instead of the one a test set
/// (TracingTests, AccessLogTests and ErrorTraceIdTests match requests by the trace id they started).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTracingCollection
{
    public const string Name = "ProcessWideTracing";
}
