using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Signing;

/// <summary>
/// Steady concurrent requests through the gateway with one session, each answered by a downstream that verifies
/// the assertion and echoes the key id it verified with. Every outcome is kept with when it was sent and answered.
/// </summary>
internal sealed class RotationTraffic : IAsyncDisposable, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Outcome> _outcomes = new();
    private readonly Task[] _workers;

    public RotationTraffic(GatewayInstance gateway, TestSession session, int concurrency = 4)
    {
        _workers = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(gateway, session)))];
    }

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes;

    public IEnumerable<Outcome> Failures => _outcomes.Where(o => o.Status != 200 || o.KeyId is null);

    /// <summary>Waits until a request sent from now on was verified with <paramref name="keyId"/>.</summary>
    public Task<bool> ReachesAsync(string keyId)
    {
        var since = Stopwatch.GetTimestamp();
        return Eventually.TrueAsync(() => Task.FromResult(_outcomes.Any(o => o.SentAt > since && o.KeyId == keyId)), TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The first answer verified with <paramref name="keyId"/>. It was signed after the ring swapped, so every
    /// request sent after it was answered must have been signed with the new ring as well.
    /// </summary>
    public Outcome FirstWith(string keyId) => _outcomes.Where(o => o.KeyId == keyId).MinBy(o => o.AnsweredAt)!;

    /// <summary>Stops the traffic and waits for the requests in flight; safe to call again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_workers);
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(GatewayInstance gateway, TestSession session)
    {
        while (!_stop.IsCancellationRequested)
        {
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                using var response = await gateway.Public.SendAsync(session.Get("/api/orders/42"));
                var body = await response.Content.ReadAsStringAsync();
                _outcomes.Enqueue(response.IsSuccessStatusCode
                    ? new Outcome(sentAt, Stopwatch.GetTimestamp(), (int)response.StatusCode, body, "")
                    : new Outcome(sentAt, Stopwatch.GetTimestamp(), (int)response.StatusCode, null, body));
            }
            catch (HttpRequestException ex)
            {
                _outcomes.Enqueue(new Outcome(sentAt, Stopwatch.GetTimestamp(), 0, null, ex.Message));
            }
        }
    }

    internal sealed record Outcome(long SentAt, long AnsweredAt, int Status, string? KeyId, string Body);
}
