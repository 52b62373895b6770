using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// The real gateway with <c>Telemetry:Otlp:Endpoint</c> set exports to an OTLP/HTTP receiver of the test's own (a
/// loopback Kestrel that records what is posted to /v1/metrics and /v1/traces): the login counter arrives as a
/// metric, and the login and proxied requests arrive as spans of the traces their clients started.
/// </summary>
[Collection(ProcessWideTracingCollection.Name)]
public sealed class OtlpExportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MetricsAndTracesOfASandboxLoginAndAProxiedRequestReachAnOtlpHttpReceiver()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:Otlp:Endpoint"] = receiver.Url.ToString(),
            ["Telemetry:Otlp:Protocol"] = "HttpProtobuf",
            ["Telemetry:Otlp:MetricExportInterval"] = "00:00:01",
        });

        // The gateway runs in this process, so an HttpClient of the test is instrumented like the gateway's and would send
        // the traceparent of its own span instead of the client's: the requests are written on a socket, as from outside.
        var loginTrace = Traceparent.New();
        var code = bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, bed.NewUser());
        var body = JsonSerializer.Serialize(new { code });
        var login = await RawHttp.SendAsync(bed.Gateway.PublicUrl, Request(
            "POST /auth/wechat/miniprogram/mp/login", loginTrace, $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", body), Deadline);
        Assert.Equal(200, login.Status);
        var token = JsonDocument.Parse(login.Body).RootElement.GetProperty("token").GetString();
        var proxiedTrace = Traceparent.New();
        var proxied = await RawHttp.SendAsync(bed.Gateway.PublicUrl, Request("GET /api/exported", proxiedTrace, $"Authorization: Bearer {token}\r\n"), Deadline);
        Assert.Equal(200, proxied.Status);

        var metrics = await Eventually.TrueAsync(
            () => Task.FromResult(receiver.Posts("/v1/metrics").Any(post => Otlp.MetricNames(post.Body).Contains("gateway.logins"))),
            Deadline, TimeSpan.FromMilliseconds(200));
        Assert.True(metrics, $"No metrics export named gateway.logins; received: {receiver.Summary()}");
        Assert.All(receiver.Posts("/v1/metrics"), post => Assert.Equal("application/x-protobuf", post.ContentType));

        bool Exported(Func<Otlp.Span, bool> match) => receiver.Posts("/v1/traces").SelectMany(post => Otlp.Spans(post.Body)).Any(match);
        var loginSpan = await Eventually.TrueAsync(
            () => Task.FromResult(Exported(span => span.Name == "login miniprogram.login" && span.TraceId == loginTrace.TraceId)),
            Deadline, TimeSpan.FromMilliseconds(200));
        Assert.True(loginSpan, $"No span 'login miniprogram.login' in trace {loginTrace.TraceId}; received: {receiver.Summary()}");
        var proxiedSpan = await Eventually.TrueAsync(
            () => Task.FromResult(Exported(span => span.Name == "GET /api/{**rest}" && span.TraceId == proxiedTrace.TraceId)),
            Deadline, TimeSpan.FromMilliseconds(200));
        Assert.True(proxiedSpan, $"No span 'GET /api/{{**rest}}' in the proxied request's trace {proxiedTrace.TraceId}; received: {receiver.Summary()}");
        Assert.All(receiver.Posts("/v1/traces"), post => Assert.Equal("application/x-protobuf", post.ContentType));
    }

    private static string Request(string requestLine, Traceparent trace, string headers, string body = "") =>
        $"{requestLine} HTTP/1.1\r\nHost: 127.0.0.1\r\ntraceparent: {trace.Header}\r\n{headers}Connection: close\r\n\r\n{body}";

    private sealed record Post(string Path, string? ContentType, byte[] Body);

    /// <summary>An OTLP/HTTP collector as far as an exporter can tell: it accepts every export and keeps it.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<Post> _posts = new();

        private OtlpReceiver(WebApplication app) => _app = app;

        public Uri Url => Loopback.AddressOf(_app);

        public static async Task<OtlpReceiver> StartAsync()
        {
            var app = Loopback.CreateBuilder().Build();
            var receiver = new OtlpReceiver(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                receiver._posts.Enqueue(new Post(context.Request.Path, context.Request.ContentType, body.ToArray()));
                // An empty Export*ServiceResponse: everything accepted.
                return Results.Bytes([], "application/x-protobuf");
            });
            await app.StartAsync();
            return receiver;
        }

        public IReadOnlyList<Post> Posts(string path) => _posts.Where(post => post.Path == path).ToList();

        public string Summary() => string.Join(", ", _posts.GroupBy(post => post.Path).Select(group => $"{group.Count()} to {group.Key}"));

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    /// <summary>
    /// Reads the few fields of OTLP's protobuf messages (opentelemetry-proto) the test looks at, with a minimal reader
    /// of the wire format: no OTLP message package is available to the project.
    /// </summary>
    private static class Otlp
    {
        public sealed record Span(string TraceId, string Name);

        /// <summary>ExportMetricsServiceRequest → resource_metrics (1) → scope_metrics (2) → metrics (2) → name (1).</summary>
        public static IReadOnlyList<string> MetricNames(byte[] request) =>
            Messages(request, 1).SelectMany(resource => Messages(resource, 2)).SelectMany(scope => Messages(scope, 2))
                .Select(metric => Encoding.UTF8.GetString(Messages(metric, 1).Single()))
                .ToList();

        /// <summary>ExportTraceServiceRequest → resource_spans (1) → scope_spans (2) → spans (2) → trace_id (1), name (5).</summary>
        public static IReadOnlyList<Span> Spans(byte[] request) =>
            Messages(request, 1).SelectMany(resource => Messages(resource, 2)).SelectMany(scope => Messages(scope, 2))
                .Select(span => new Span(Convert.ToHexStringLower(Messages(span, 1).Single()), Encoding.UTF8.GetString(Messages(span, 5).FirstOrDefault() ?? [])))
                .ToList();

        /// <summary>The length-delimited fields with the given number; every other field is skipped by its wire type.</summary>
        private static IEnumerable<byte[]> Messages(byte[] message, int fieldNumber)
        {
            var found = new List<byte[]>();
            var at = 0;
            while (at < message.Length)
            {
                var tag = Varint(message, ref at);
                var (field, wireType) = ((int)(tag >> 3), (int)(tag & 7));
                switch (wireType)
                {
                    case 0:
                        Varint(message, ref at);
                        break;
                    case 1:
                        at += 8;
                        break;
                    case 2:
                        var length = (int)Varint(message, ref at);
                        if (field == fieldNumber)
                        {
                            found.Add(message[at..(at + length)]);
                        }

                        at += length;
                        break;
                    case 5:
                        at += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Wire type {wireType} (field {field}) is not in OTLP messages.");
                }
            }

            if (at != message.Length)
            {
                throw new InvalidDataException("A field runs past the end of its message.");
            }

            return found;
        }

        private static ulong Varint(byte[] message, ref int at)
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = message[at++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("A varint longer than 10 bytes.");
        }
    }
}
