using Gateway.Auth.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Health;

/// <summary>A dependency's outage is logged as a start, at most one summary a minute, and a recovery: not per operation.</summary>
public sealed class OutageLogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger _logger = new();
    private readonly OutageLog _outage;

    public OutageLogTests() => _outage = new OutageLog(_logger, () => "The test database at 127.0.0.1:1", _time);

    [Fact]
    public void OnlyTheFirstFailureOfAnOutageIsTheCallersToLogAndTheRestAreCountedSilently()
    {
        Assert.True(_outage.Failed("connection refused"));
        for (var i = 0; i < 100; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.False(_outage.Failed("connection refused"));
        }

        Assert.Equal(0, _logger.Collector.Count);
    }

    [Fact]
    public void ALongOutageIsSummarisedAtMostOnceAMinuteWithTheCountAndTheLastReason()
    {
        _outage.Failed("connection refused");
        _time.Advance(TimeSpan.FromSeconds(59));
        _outage.Failed("connection refused");
        Assert.Equal(0, _logger.Collector.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        _outage.Failed("timed out");
        _outage.Failed("timed out");

        var summary = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(3300, summary.Id.Id);
        Assert.Equal(LogLevel.Warning, summary.Level);
        Assert.Equal("The test database at 127.0.0.1:1 is still unavailable after 60 s: 3 operations failed, the last one with: timed out", summary.Message);
    }

    [Fact]
    public void TheFirstSuccessEndsTheOutageWithOneLineAndTheNextFailureStartsANewOne()
    {
        _outage.Answered();
        Assert.Equal(0, _logger.Collector.Count);

        _outage.Failed("connection refused");
        _outage.Failed("connection refused");
        _time.Advance(TimeSpan.FromSeconds(12.5));
        _outage.Answered();
        _outage.Answered();

        var recovery = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(3301, recovery.Id.Id);
        Assert.Equal(LogLevel.Information, recovery.Level);
        Assert.Equal("The test database at 127.0.0.1:1 answers again after 12.5 s; 2 operations failed meanwhile.", recovery.Message);
        Assert.True(_outage.Failed("connection refused"));
    }

    [Fact]
    public async Task ConcurrentFailuresStartOneOutage()
    {
        var starts = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (_outage.Failed("connection refused"))
                {
                    Interlocked.Increment(ref starts);
                }
            }
        })));

        Assert.Equal(1, starts);
        _time.Advance(TimeSpan.FromSeconds(1));
        _outage.Answered();
        Assert.EndsWith("8000 operations failed meanwhile.", Assert.Single(_logger.Collector.GetSnapshot()).Message);
    }
}
