using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests.Ephemeral;

/// <summary>
/// What every <see cref="IEphemeralStore"/> promises. Runs unchanged against each implementation; a subclass
/// supplies only how to create a store and how to let time pass.
/// </summary>
public abstract class EphemeralStoreConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(5);
    private readonly List<IEphemeralStore> _stores = [];

    protected EphemeralStoreConformanceTests()
    {
        Logs = new FakeLoggerProvider();
        Loggers = LoggerFactory.Create(builder => builder.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
    }

    private protected FakeLoggerProvider Logs { get; }

    protected ILoggerFactory Loggers { get; }

    private protected IEphemeralStore Store { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Store = NewStore(TestServers.NewKeyPrefix());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }

        Loggers.Dispose();
    }

    /// <summary>A store as one gateway instance would hold it.</summary>
    private protected abstract IEphemeralStore CreateStore(string keyPrefix);

    /// <summary>
    /// The same store as seen from a second gateway instance: a separate client on the same backend where the
    /// implementation is shared, the very same store where it lives in one process.
    /// </summary>
    private protected abstract IEphemeralStore CreateSecondInstance(IEphemeralStore first, string keyPrefix);

    /// <summary>Lets the given time pass for the store's expiry clock.</summary>
    protected abstract Task AdvanceAsync(TimeSpan elapsed);

    private protected IEphemeralStore NewStore(string keyPrefix) => Track(CreateStore(keyPrefix));

    [Fact]
    public async Task SetValueIsReturnedByGet()
    {
        await Store.SetAsync("state:1", "value-1", LongTtl);

        Assert.Equal("value-1", await Store.GetAsync("state:1"));
    }

    [Fact]
    public async Task GetOfMissingKeyReturnsNull() => Assert.Null(await Store.GetAsync("never-set"));

    [Fact]
    public async Task SetOverwritesTheExistingValue()
    {
        await Store.SetAsync("k", "old", LongTtl);
        await Store.SetAsync("k", "new", LongTtl);

        Assert.Equal("new", await Store.GetAsync("k"));
    }

    [Fact]
    public async Task DeleteRemovesTheKeyAndReportsWhetherItExisted()
    {
        await Store.SetAsync("k", "v", LongTtl);

        Assert.True(await Store.DeleteAsync("k"));
        Assert.Null(await Store.GetAsync("k"));
        Assert.False(await Store.DeleteAsync("k"));
    }

    [Fact]
    public async Task ValueDisappearsOnceItsTimeToLiveHasPassed()
    {
        var ttl = TimeSpan.FromSeconds(1);
        await Store.SetAsync("get", "v", ttl);
        await Store.SetAsync("take", "v", ttl);
        await Store.SetAsync("delete", "v", ttl);
        Assert.Equal("v", await Store.GetAsync("get"));

        await AdvanceAsync(ttl * 1.5);

        Assert.Null(await Store.GetAsync("get"));
        Assert.Null(await Store.TakeAsync("take"));
        Assert.False(await Store.DeleteAsync("delete"));
    }

    [Fact]
    public async Task SetIfAbsentSucceedsAgainOnceTheExistingKeyHasExpired()
    {
        var ttl = TimeSpan.FromSeconds(1);
        Assert.True(await Store.SetIfAbsentAsync("lock", "first", ttl));

        await AdvanceAsync(ttl * 1.5);

        Assert.True(await Store.SetIfAbsentAsync("lock", "second", LongTtl));
        Assert.Equal("second", await Store.GetAsync("lock"));
    }

    [Fact]
    public async Task SetIfAbsentLetsOnlyTheFirstWriterWin()
    {
        Assert.True(await Store.SetIfAbsentAsync("nonce", "first", LongTtl));
        Assert.False(await Store.SetIfAbsentAsync("nonce", "second", LongTtl));

        Assert.Equal("first", await Store.GetAsync("nonce"));
    }

    [Fact]
    public async Task FiftyConcurrentSetIfAbsentCallsAcrossTwoInstancesHaveExactlyOneWinner()
    {
        var prefix = TestServers.NewKeyPrefix();
        var first = NewStore(prefix);
        var second = CreateSecondInstance(first, prefix);

        var results = await RaceAsync(50, i => (i % 2 == 0 ? first : second).SetIfAbsentAsync("code", $"writer-{i}", LongTtl));

        var winner = Assert.Single(Enumerable.Range(0, 50), i => results[i]);
        Assert.Equal($"writer-{winner}", await first.GetAsync("code"));
    }

    [Fact]
    public async Task FiftyConcurrentSetIfAbsentCallsOverAnExpiredKeyHaveExactlyOneWinner()
    {
        var ttl = TimeSpan.FromSeconds(1);
        await Store.SetAsync("code", "expired", ttl);
        await AdvanceAsync(ttl * 1.5);

        var results = await RaceAsync(50, i => Store.SetIfAbsentAsync("code", $"writer-{i}", LongTtl));

        var winner = Assert.Single(Enumerable.Range(0, 50), i => results[i]);
        Assert.Equal($"writer-{winner}", await Store.GetAsync("code"));
    }

    [Fact]
    public async Task TakeReturnsTheValueOnceAndThenNull()
    {
        await Store.SetAsync("ticket", "t-1", LongTtl);

        Assert.Equal("t-1", await Store.TakeAsync("ticket"));
        Assert.Null(await Store.TakeAsync("ticket"));
        Assert.Null(await Store.GetAsync("ticket"));
    }

    [Fact]
    public async Task FiftyConcurrentTakesOfOneKeyAcrossTwoInstancesHaveExactlyOneWinner()
    {
        var prefix = TestServers.NewKeyPrefix();
        var first = NewStore(prefix);
        var second = CreateSecondInstance(first, prefix);
        await first.SetAsync("ticket", "redeem-me", LongTtl);

        var results = await RaceAsync(50, i => (i % 2 == 0 ? first : second).TakeAsync("ticket"));

        Assert.Equal("redeem-me", Assert.Single(results, r => r is not null));
    }

    [Fact]
    public async Task EmojiKeysValuesAndMessagesRoundTrip()
    {
        const string nickname = "小明🐼";
        await Store.SetAsync("nick:" + nickname, nickname, LongTtl);
        var inbox = new MessageInbox();
        await using var subscription = await Store.SubscribeAsync("chan:" + nickname, inbox.Handler);

        await Store.PublishAsync("chan:" + nickname, nickname);

        Assert.Equal(nickname, await Store.GetAsync("nick:" + nickname));
        Assert.Equal(nickname, await Store.TakeAsync("nick:" + nickname));
        Assert.Equal(nickname, await inbox.NextAsync());
    }

    [Fact]
    public async Task StoresWithDifferentPrefixesDoNotSeeEachOthersKeys()
    {
        var other = NewStore(TestServers.NewKeyPrefix());
        await Store.SetAsync("shared-name", "mine", LongTtl);

        Assert.Null(await other.GetAsync("shared-name"));
        Assert.Null(await other.TakeAsync("shared-name"));
        Assert.True(await other.SetIfAbsentAsync("shared-name", "theirs", LongTtl));
        Assert.Equal("mine", await Store.GetAsync("shared-name"));
        Assert.Equal("theirs", await other.GetAsync("shared-name"));
    }

    [Fact]
    public async Task PublishedMessageReachesTheSubscriber()
    {
        var inbox = new MessageInbox();
        await using var subscription = await Store.SubscribeAsync("revoked", inbox.Handler);

        await Store.PublishAsync("revoked", "one");
        await Store.PublishAsync("revoked", "two");

        Assert.Equal("one", await inbox.NextAsync());
        Assert.Equal("two", await inbox.NextAsync());
    }

    [Fact]
    public async Task PublishedMessageReachesASubscriberOnASecondInstance()
    {
        var prefix = TestServers.NewKeyPrefix();
        var publisher = NewStore(prefix);
        var subscriberInstance = CreateSecondInstance(publisher, prefix);
        var inbox = new MessageInbox();
        await using var subscription = await subscriberInstance.SubscribeAsync("revoked", inbox.Handler);

        await publisher.PublishAsync("revoked", "session-gone");

        Assert.Equal("session-gone", await inbox.NextAsync());
    }

    [Fact]
    public async Task ChannelsOfDifferentPrefixesDoNotMeet()
    {
        var other = NewStore(TestServers.NewKeyPrefix());
        var inbox = new MessageInbox();
        await using var subscription = await Store.SubscribeAsync("revoked", inbox.Handler);

        await other.PublishAsync("revoked", "foreign");
        await Store.PublishAsync("revoked", "own");

        // The foreign message was published first, so had it been delivered it would come first.
        Assert.Equal("own", await inbox.NextAsync());
    }

    [Fact]
    public async Task DisposedSubscriptionReceivesNoFurtherMessages()
    {
        var disposed = new MessageInbox();
        var kept = new MessageInbox();
        var subscription = await Store.SubscribeAsync("revoked", disposed.Handler);
        await using var keptSubscription = await Store.SubscribeAsync("revoked", kept.Handler);
        await Store.PublishAsync("revoked", "before");
        Assert.Equal("before", await disposed.NextAsync());
        Assert.Equal("before", await kept.NextAsync());

        await subscription.DisposeAsync();
        await Store.PublishAsync("revoked", "after");

        Assert.Equal("after", await kept.NextAsync());
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(disposed.TryRead(out _));
    }

    [Fact]
    public async Task ThrowingSubscriberIsLoggedAndKeepsReceiving()
    {
        var inbox = new MessageInbox();
        await using var subscription = await Store.SubscribeAsync("revoked", message =>
            message == "poison" ? throw new InvalidOperationException("handler bug") : inbox.Handler(message));

        await Store.PublishAsync("revoked", "poison");
        await Store.PublishAsync("revoked", "next");

        Assert.Equal("next", await inbox.NextAsync());
        var entry = Assert.Single(Logs.Collector.GetSnapshot(), e => e.Id.Id == 2100);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Contains("revoked", entry.Message);
    }

    [Fact]
    public async Task GetManyReturnsEachValueInOrderWithNullForMissingKeys()
    {
        await Store.SetAsync("many:a", "A", LongTtl);
        await Store.SetAsync("many:c", "C", LongTtl);

        Assert.Equal(["A", null, "C"], await Store.GetManyAsync(["many:a", "many:b", "many:c"]));
    }

    [Fact]
    public async Task GetManyDoesNotReturnExpiredValues()
    {
        await Store.SetAsync("many:short", "S", TimeSpan.FromMilliseconds(200));
        await Store.SetAsync("many:long", "L", LongTtl);

        await AdvanceAsync(TimeSpan.FromMilliseconds(400));

        Assert.Equal([null, "L"], await Store.GetManyAsync(["many:short", "many:long"]));
    }

    [Fact]
    public async Task SetIfPresentOverwritesAnExistingKeyAndExtendsItsLife()
    {
        await Store.SetAsync("present", "old", TimeSpan.FromMilliseconds(300));

        Assert.True(await Store.SetIfPresentAsync("present", "new", LongTtl));
        await AdvanceAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal("new", await Store.GetAsync("present"));
    }

    [Fact]
    public async Task SetIfPresentNeverRecreatesADeletedOrExpiredKey()
    {
        await Store.SetAsync("deleted", "v", LongTtl);
        await Store.DeleteAsync("deleted");
        await Store.SetAsync("expired", "v", TimeSpan.FromMilliseconds(200));
        await AdvanceAsync(TimeSpan.FromMilliseconds(400));

        Assert.False(await Store.SetIfPresentAsync("deleted", "again", LongTtl));
        Assert.False(await Store.SetIfPresentAsync("expired", "again", LongTtl));
        Assert.False(await Store.SetIfPresentAsync("never", "again", LongTtl));
        Assert.Equal([null, null, null], await Store.GetManyAsync(["deleted", "expired", "never"]));
    }

    [Fact]
    public async Task PingSucceedsWhileTheStoreIsReachable() => await Store.PingAsync();

    [Fact]
    public async Task InvalidArgumentsAreRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetAsync("", "v", LongTtl));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.SetAsync("k", null!, LongTtl));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetAsync("k", "v", TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetIfAbsentAsync("k", "v", TimeSpan.FromTicks(9_999)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetManyAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetManyAsync(["k", ""]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetIfPresentAsync("k", "v", TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TakeAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PublishAsync("", "m"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.SubscribeAsync("c", null!));
    }

    [Fact]
    public async Task CallWithACancelledTokenIsCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SetAsync("k", "v", LongTtl, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.GetAsync("k", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.TakeAsync("k", cancelled.Token));
    }

    private static async Task<T[]> RaceAsync<T>(int callers, Func<int, Task<T>> call)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await call(i);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(calls);
    }

    private IEphemeralStore Track(IEphemeralStore store)
    {
        _stores.Add(store);
        return store;
    }
}
