using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// Traces: a login is one span of the <c>Gateway</c> source with child spans for WeChat, the database and Redis,
/// and W3C trace context reaches the destination (docs/observability.md). The spans are read by a listener as
/// an exporter would read them, matched by the trace id the client started.
/// </summary>
public sealed class TracingTests(LoginFixture fixture) : IClassFixture<LoginFixture>, IDisposable
{
    private readonly LoginTestbed _bed = fixture.Bed;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener? _listener;

    private void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task ALoginIsOneSpanWithChildSpansForWeChatTheDatabaseAndRedis()
    {
        Listen();
        var trace = Traceparent.New();
        using var request = trace.On(new HttpRequestMessage(HttpMethod.Post, "/auth/wechat/miniprogram/mp/login")
        {
            Content = JsonContent.Create(new { code = _bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, _bed.NewUser()) }),
        });

        var (response, _) = await _bed.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = _stopped.Where(a => a.TraceId.ToHexString() == trace.TraceId).ToList();
        var login = Assert.Single(spans, s => s.OperationName == "login");
        Assert.Equal("miniprogram.login", login.GetTagItem("gateway.login.flow"));
        Assert.Equal("ok", login.GetTagItem("gateway.login.result"));
        Assert.NotEqual(default, login.ParentSpanId);
        bool Under(Activity span) => span.ParentSpanId == login.SpanId;
        var weChat = Assert.Single(spans, s => s.OperationName == "wechat" && Under(s));
        Assert.Equal("sns/jscode2session", weChat.GetTagItem("wechat.endpoint"));
        Assert.Equal(ActivityKind.Client, weChat.Kind);
        Assert.Contains(spans, s => s.OperationName == "db" && Under(s) && (string?)s.GetTagItem("db.system") == "mysql");
        Assert.Contains(spans, s => s.OperationName == "redis" && Under(s));
    }

    [Fact]
    public async Task TheDestinationReceivesTheRequestsTraceContext()
    {
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _bed.NewUser());
        var trace = Traceparent.New();
        using var request = trace.On(new HttpRequestMessage(HttpMethod.Get, "/api/traced"));
        request.Headers.Authorization = new("Bearer", login.GetProperty("token").GetString());

        var response = await _bed.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = await HttpRequestRecord.ReadAsync(response);
        var forwarded = Assert.Single(received.Headers["traceparent"]!)!.Split('-');
        Assert.Equal("00", forwarded[0]);
        Assert.Equal(trace.TraceId, forwarded[1]);
        // The gateway's own span is the destination's parent, not the client's.
        Assert.NotEqual(trace.SpanId, forwarded[2]);
    }

    [Fact]
    public async Task ARequestWithoutTraceContextStartsATraceTheDestinationContinues()
    {
        var (_, login) = await _bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, _bed.NewUser());

        var (response, body) = await _bed.GetAsync("/api/untraced", login.GetProperty("token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceparent = body.GetProperty("headers").GetProperty("traceparent")[0].GetString()!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceparent);
        var traceId = traceparent.Split('-')[1];
        Assert.Contains(_bed.Logs.Lines, line => line.StartsWith("Gateway.AccessLog ", StringComparison.Ordinal) && line.Contains($"[TraceId={traceId}]", StringComparison.Ordinal));
    }
}
