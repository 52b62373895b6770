using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Tests.Ephemeral;

public class RedisEphemeralStoreConformanceTests : EphemeralStoreConformanceTests
{
    private protected virtual string Configuration => TestServers.RedisConfiguration;

    // Redis expires keys in real time; each new store is its own connection, as a second gateway would have.
    // These tests are about what the store promises, not how fast: a first operation on a busy 2-core machine
    // (through Sentinel: ask a sentinel, then connect to the primary) can take longer than the 2 s default, so the
    // bound is generous here. RedisOutageTests check the timeouts themselves.
    private protected override IEphemeralStore CreateStore(string keyPrefix) =>
        new RedisEphemeralStore(
            Options.Create(new EphemeralStoreOptions
            {
                Provider = EphemeralStoreProvider.Redis,
                Redis = Configuration,
                KeyPrefix = keyPrefix,
                OperationTimeout = TimeSpan.FromSeconds(15),
                ConnectTimeout = TimeSpan.FromSeconds(15),
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

/// <summary>The same promises on a 3-master Redis Cluster: multi-key reads in one slot, sharded channels.</summary>
public sealed class RedisClusterEphemeralStoreConformanceTests : RedisEphemeralStoreConformanceTests
{
    private protected override string Configuration => TestServers.RedisClusterConfiguration;

    /// <summary>A subscriber hears only SPUBLISH: a classic PUBLISH, broadcast to every node, never reaches it.</summary>
    [Fact]
    public async Task ChannelsOnAClusterAreSharded()
    {
        var prefix = TestServers.NewKeyPrefix();
        var store = NewStore(prefix);
        var inbox = new MessageInbox();
        await using var subscription = await store.SubscribeAsync("revoked", inbox.Handler);
        await using var direct = await ConnectionMultiplexer.ConnectAsync(Configuration);

        await direct.GetSubscriber().PublishAsync(RedisChannel.Literal(prefix + "revoked"), "classic");
        await direct.GetSubscriber().PublishAsync(RedisChannel.Sharded(prefix + "revoked"), "sharded");

        Assert.Equal("sharded", await inbox.NextAsync());
    }
}

/// <summary>The same promises through Sentinel (<c>serviceName=</c>), on the primary it names.</summary>
public sealed class RedisSentinelEphemeralStoreConformanceTests : RedisEphemeralStoreConformanceTests
{
    private protected override string Configuration => TestServers.RedisSentinelConfiguration;
}
