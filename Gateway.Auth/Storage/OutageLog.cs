using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage;

/// <summary>
/// One dependency's outage in the log, so that a dead database or Redis does not write a line (or a stack) per
/// request and per readiness poll: the first failure is the caller's to log, with what it knows (host:port, the
/// stack once); later failures are only counted, with a summary at most once a minute while the outage lasts; the
/// first success after it logs the recovery with the count (docs/production.md, "Start-up errors" and "Logs").
/// Healthy, <see cref="Answered"/> costs one volatile read, so stores call it after every operation.
/// </summary>
internal sealed partial class OutageLog(ILogger logger, Func<string> dependency, TimeProvider timeProvider)
{
    private static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private volatile bool _down;
    private long _since;
    private long _lastSummary;
    private long _failures;

    /// <summary>Counts a failure; true when it starts an outage, and the caller logs it.</summary>
    public bool Failed(string reason)
    {
        var now = timeProvider.GetTimestamp();
        if (!_down)
        {
            lock (_lock)
            {
                if (!_down)
                {
                    _since = now;
                    _lastSummary = now;
                    Interlocked.Exchange(ref _failures, 1);
                    _down = true;
                    return true;
                }
            }
        }

        var failures = Interlocked.Increment(ref _failures);
        var last = Interlocked.Read(ref _lastSummary);
        if (timeProvider.GetElapsedTime(last, now) >= SummaryInterval && Interlocked.CompareExchange(ref _lastSummary, now, last) == last)
        {
            StillUnavailable(logger, dependency(), timeProvider.GetElapsedTime(Interlocked.Read(ref _since), now).TotalSeconds, failures, reason);
        }

        return false;
    }

    /// <summary>An operation succeeded: ends the outage, if there is one, with one line.</summary>
    public void Answered()
    {
        if (!_down)
        {
            return;
        }

        lock (_lock)
        {
            if (_down)
            {
                _down = false;
                AnswersAgain(logger, dependency(), timeProvider.GetElapsedTime(_since).TotalSeconds, Interlocked.Read(ref _failures));
            }
        }
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Warning,
        Message = "{Dependency} is still unavailable after {Seconds:0} s: {Failures} operations failed, the last one with: {Reason}")]
    private static partial void StillUnavailable(ILogger logger, string dependency, double seconds, long failures, string reason);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information,
        Message = "{Dependency} answers again after {Seconds:0.0} s; {Failures} operations failed meanwhile.")]
    private static partial void AnswersAgain(ILogger logger, string dependency, double seconds, long failures);
}
