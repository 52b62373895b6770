using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Ephemeral;

public sealed class RedisEphemeralStoreConformanceTests : EphemeralStoreConformanceTests
{
    // Redis expires keys in real time; each new store is its own connection, as a second gateway would have.
    private protected override IEphemeralStore CreateStore(string keyPrefix) =>
        new RedisEphemeralStore(
            Options.Create(new EphemeralStoreOptions
            {
                Provider = EphemeralStoreProvider.Redis,
                Redis = TestServers.RedisConfiguration,
                KeyPrefix = keyPrefix,
            }),
            TimeProvider.System,
            Loggers.CreateLogger<RedisEphemeralStore>());

    private protected override IEphemeralStore CreateSecondInstance(IEphemeralStore first, string keyPrefix) => NewStore(keyPrefix);

    protected override Task AdvanceAsync(TimeSpan elapsed) => Task.Delay(elapsed);

    [Fact]
    public async Task KeysAreStoredUnderTheConfiguredPrefix()
    {
        var outer = TestServers.NewKeyPrefix();
        var inner = NewStore(outer + "inner:");
        var enclosing = NewStore(outer);

        await inner.SetAsync("k", "v", TimeSpan.FromMinutes(1));

        Assert.Equal("v", await enclosing.GetAsync("inner:k"));
    }
}
