using System.Diagnostics;
using Gateway.Auth.Storage.Relational;

namespace Gateway.Tests.Relational;

public sealed class MariaDbOutageTests
{
    [Fact]
    public async Task AServerThatGoesAwayFailsFastAsUnavailableAndIsUsedAgainWhenItReturns()
    {
        await using var server = await PrivateMariaDb.StartAsync();
        await using var host = RelationalStoreHost.Create(
            new RelationalStoreOptions { Provider = RelationalProviders.MySql, ConnectionString = server.ConnectionString, MaxConcurrency = 4 });
        var store = host.Store;
        await store.MigrateAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.PingAsync()));

        await server.StopAsync();
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => store.PingAsync());
        await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => store.PingAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");

        await server.RestartAsync();

        // Pooled connections that died with the server must not fail the first operations after it returns.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.PingAsync()));
    }
}
