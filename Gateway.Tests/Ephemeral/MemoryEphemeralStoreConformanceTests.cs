using Gateway.Auth.Storage.Ephemeral;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Ephemeral;

public sealed class MemoryEphemeralStoreConformanceTests : EphemeralStoreConformanceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private protected override IEphemeralStore CreateStore(string keyPrefix) =>
        new MemoryEphemeralStore(_clock, Loggers.CreateLogger<MemoryEphemeralStore>());

    // The memory store serves a single process; its second "instance" is itself.
    private protected override IEphemeralStore CreateSecondInstance(IEphemeralStore first, string keyPrefix) => first;

    protected override Task AdvanceAsync(TimeSpan elapsed)
    {
        _clock.Advance(elapsed);
        return Task.CompletedTask;
    }
}
