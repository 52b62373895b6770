using Gateway.Auth.Storage.Ephemeral;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Ephemeral;

/// <summary>What only the memory store must do: its clock is injected, and it must not grow without bound.</summary>
public sealed class MemoryEphemeralStoreTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MemoryEphemeralStore _store;

    public MemoryEphemeralStoreTests() => _store = new MemoryEphemeralStore(_clock, NullLogger<MemoryEphemeralStore>.Instance);

    [Fact]
    public async Task EntryLivesUntilExactlyItsTimeToLive()
    {
        await _store.SetAsync("k", "v", TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal("v", await _store.GetAsync("k"));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(await _store.GetAsync("k"));
    }

    [Fact]
    public async Task ExpiredKeysNobodyReadsAreSweptByLaterWrites()
    {
        for (var i = 0; i < 100; i++)
        {
            await _store.SetAsync($"abandoned:{i}", "v", TimeSpan.FromSeconds(1));
        }

        await _store.SetAsync("live", "v", TimeSpan.FromHours(1));
        _clock.Advance(MemoryEphemeralStore.PurgeInterval);
        await _store.SetAsync("trigger", "v", TimeSpan.FromHours(1));

        Assert.Equal(2, _store.Count);
        Assert.Equal("v", await _store.GetAsync("live"));
    }

    [Fact]
    public async Task SweepWaitsForThePurgeInterval()
    {
        await _store.SetAsync("abandoned", "v", TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(2));

        await _store.SetAsync("trigger", "v", TimeSpan.FromHours(1));

        Assert.Equal(2, _store.Count);
    }
}
