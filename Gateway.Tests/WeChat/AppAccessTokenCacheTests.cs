using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.WeChat;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.WeChat;

public sealed class AppAccessTokenCacheTests : IAsyncLifetime
{
    private WeChatTestbed _bed = null!;

    public async Task InitializeAsync() => _bed = await WeChatTestbed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    /// <summary>Refreshes the gateway completed (a transport retry inside one refresh is still one refresh).</summary>
    private IEnumerable<string> Fetches(bool forced) =>
        _bed.LogMessages.Where(m => m.StartsWith("Fetched the access_token of app wx_sandbox_mp", StringComparison.Ordinal) && m.Contains($"force refresh: {forced}", StringComparison.Ordinal));

    private static Task<string> TokenOf(IServiceProvider instance, WeChatApp app) =>
        instance.GetRequiredService<AppAccessTokenCache>().UseAsync(app, (token, _) => Task.FromResult(token));

    [Fact]
    public async Task TwoGatewayInstancesSharingRedisFetchTheTokenOnce()
    {
        var first = _bed.NewInstance();
        var second = _bed.NewInstance();
        var app = _bed.App(first, "mp");

        var tokens = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => TokenOf(i % 2 == 0 ? first : second, app)));

        Assert.Single(tokens.Distinct());
        Assert.Single(Fetches(forced: false));
    }

    [Fact]
    public async Task ATokenInvalidatedElsewhereIsRefreshedOnceWithForceRefreshAndTheCallRetried()
    {
        var instance = _bed.NewInstance();
        var app = _bed.App(instance, "mp");
        var client = instance.GetRequiredService<WeChatApiClient>();
        var stale = await TokenOf(instance, app);
        // Someone else forces a new token: WeChat invalidates the one in our cache (40001 on its next use).
        await client.GetStableAccessTokenAsync(app, forceRefresh: true);

        var phone = await instance.GetRequiredService<AppAccessTokenCache>().UseAsync(app, (token, ct) =>
            client.GetPhoneNumberAsync(app, token, _bed.Sandbox.IssuePhoneCode(WeChatTestbed.MiniProgram, "xiaoming"), _bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, "xiaoming"), ct));

        Assert.Equal("13800138000", phone.PurePhoneNumber);
        Assert.Equal(3, _bed.RequestsTo("cgi-bin/stable_token"));
        Assert.Equal(2, _bed.RequestsTo("wxa/business/getuserphonenumber"));
        Assert.NotEqual(stale, await TokenOf(instance, app));
    }

    [Fact]
    public async Task ATokenWeChatExpiredBeforeTheCacheDidIsRefreshedAfter42001()
    {
        var instance = _bed.NewInstance();
        var app = _bed.App(instance, "mp");
        var client = instance.GetRequiredService<WeChatApiClient>();
        await TokenOf(instance, app);
        _bed.Clock.Advance(TimeSpan.FromHours(3));

        var phone = await instance.GetRequiredService<AppAccessTokenCache>().UseAsync(app, (token, ct) =>
            client.GetPhoneNumberAsync(app, token, _bed.Sandbox.IssuePhoneCode(WeChatTestbed.MiniProgram, "alice"), _bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, "alice"), ct));

        Assert.Equal("2025550143", phone.PurePhoneNumber);
        Assert.Equal(2, _bed.RequestsTo("cgi-bin/stable_token"));
    }

    [Fact]
    public async Task ConcurrentRejectionsOnTwoInstancesForceOnlyOneRefresh()
    {
        var first = _bed.NewInstance();
        var second = _bed.NewInstance();
        var app = _bed.App(first, "mp");
        await TokenOf(first, app);
        await first.GetRequiredService<WeChatApiClient>().GetStableAccessTokenAsync(app, forceRefresh: true);

        var phones = await Task.WhenAll(new[] { "xiaoming", "alice", "xiaoming", "alice" }.Select((user, i) =>
        {
            var instance = i % 2 == 0 ? first : second;
            var client = instance.GetRequiredService<WeChatApiClient>();
            return instance.GetRequiredService<AppAccessTokenCache>().UseAsync(app, (token, ct) =>
                client.GetPhoneNumberAsync(app, token, _bed.Sandbox.IssuePhoneCode(WeChatTestbed.MiniProgram, user), _bed.Sandbox.OpenIdOf(WeChatTestbed.MiniProgram, user), ct));
        }));

        Assert.Equal(4, phones.Length);
        Assert.Single(Fetches(forced: true));
    }

    [Fact]
    public async Task TheCachedTokenLivesInTheSharedStoreWellBeforeWeChatExpiresIt()
    {
        var instance = _bed.NewInstance();
        var app = _bed.App(instance, "mp");

        var token = await TokenOf(instance, app);

        Assert.Equal(token, await instance.GetRequiredService<IEphemeralStore>().GetAsync(AppAccessTokenCache.CacheKey(app.AppId)));
    }
}
