using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Auth.Telemetry;

/// <summary>
/// Every instrument of the <c>Gateway</c> meter, created once. Tag values come from small fixed sets (flows, app
/// keys and route ids from configuration, error codes, WeChat errcodes): never an openid, unionid, token or code,
/// so a scrape reveals no person and the series count stays bounded (docs/observability.md, docs/security.md §10).
/// </summary>
public sealed class GatewayMetrics
{
    private readonly Counter<long> _logins;
    private readonly Histogram<double> _weChatCalls;
    private readonly Counter<long> _sessionsIssued;
    private readonly Counter<long> _sessionsRevoked;
    private readonly Counter<long> _sessionsChecked;
    private readonly Histogram<double> _proxyRequests;
    private readonly Counter<long> _assertionsSigned;
    private readonly Histogram<double> _redisOperations;
    private readonly Histogram<double> _databaseOperations;
    private readonly Counter<long> _rateLimitRefusals;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(GatewayTelemetry.Name);
        _logins = meter.CreateCounter<long>("gateway.logins", "{login}", "Login requests by flow, app, result and WeChat errcode.");
        _weChatCalls = meter.CreateHistogram<double>("gateway.wechat.call.duration", "s", "WeChat API calls by endpoint and result, with their latency.");
        _sessionsIssued = meter.CreateCounter<long>("gateway.sessions.issued", "{session}", "Sessions issued by channel and transport.");
        _sessionsRevoked = meter.CreateCounter<long>("gateway.sessions.revoked", "{revocation}", "Sessions ended: one session (logout, login over it) or every session of a person.");
        _sessionsChecked = meter.CreateCounter<long>("gateway.sessions.checked", "{check}", "Session checks by source (cache or store) and result.");
        _proxyRequests = meter.CreateHistogram<double>("gateway.proxy.request.duration", "s", "Proxied requests by route, policy and outcome, with their duration.");
        _assertionsSigned = meter.CreateCounter<long>("gateway.assertions.signed", "{assertion}", "Identity assertions signed by algorithm.");
        _redisOperations = meter.CreateHistogram<double>("gateway.redis.operation.duration", "s", "Redis operations by operation and result, with their latency.");
        _databaseOperations = meter.CreateHistogram<double>("gateway.database.operation.duration", "s", "Identity database operations by system, operation and result, with their latency.");
        _rateLimitRefusals = meter.CreateCounter<long>("gateway.rate_limit.refusals", "{refusal}", "Requests refused by a rate limit, by limit.");
    }

    public void Login(string flow, string app, string result, string? weChatErrcode)
    {
        var tags = new TagList { { "flow", flow }, { "app", app }, { "result", result } };
        if (weChatErrcode is { } errcode)
        {
            tags.Add("wechat.errcode", errcode);
        }

        _logins.Add(1, tags);
    }

    public void WeChatCall(string endpoint, string result, TimeSpan elapsed) =>
        _weChatCalls.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("result", result));

    public void SessionIssued(string channel, string transport) =>
        _sessionsIssued.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("transport", transport));

    public void SessionRevoked(string scope) => _sessionsRevoked.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void SessionChecked(bool fromCache, bool valid) =>
        _sessionsChecked.Add(1, new KeyValuePair<string, object?>("source", fromCache ? "cache" : "store"), new KeyValuePair<string, object?>("result", valid ? "valid" : "invalid"));

    public void ProxyRequest(string route, string policy, string outcome, TimeSpan elapsed) =>
        _proxyRequests.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("route", route),
            new KeyValuePair<string, object?>("policy", policy),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void AssertionSigned(string algorithm) => _assertionsSigned.Add(1, new KeyValuePair<string, object?>("algorithm", algorithm));

    public void RedisOperation(string operation, bool failed, TimeSpan elapsed) =>
        _redisOperations.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("result", failed ? "failure" : "ok"));

    public void DatabaseOperation(string system, string operation, bool failed, TimeSpan elapsed) =>
        _databaseOperations.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("db.system", system),
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("result", failed ? "failure" : "ok"));

    public void RateLimitRefused(string limit) => _rateLimitRefusals.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
