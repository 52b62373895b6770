using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

/// <summary>
/// Gateway instances sharing Redis and the database behave as one: every step of a login may land on another. On one
/// Redis node, a Redis Cluster and Sentinel.
/// </summary>
public sealed class MultiInstanceLoginTests : IAsyncLifetime
{
    private LoginTestbed? _bed;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_bed is not null)
        {
            await _bed.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task ATicketFromOneInstanceBindsOnAnotherOnce(RedisTopology redis)
    {
        var bed = _bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = TestServers.Redis(redis) });
        var peer = await bed.StartPeerAsync();
        var (_, first) = await bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, "xiaohong");
        var data = bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, "xiaohong");
        var bind = new { ticket = first.GetProperty("ticket").GetString(), encryptedData = data.EncryptedData, iv = data.Iv };

        var onPeer = await peer.Public.PostAsJsonAsync("/auth/wechat/miniprogram/twostep/bind", bind);
        var again = await bed.Api.PostAsJsonAsync("/auth/wechat/miniprogram/twostep/bind", bind);

        Assert.Equal(HttpStatusCode.OK, onPeer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("ticket_invalid", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestServers.RedisTopologies), MemberType = typeof(TestServers))]
    public async Task AnOAuthLoginStartedOnOneInstanceCompletesOnAnotherAndItsRepeatOnAThird(RedisTopology redis)
    {
        var bed = _bed = await LoginTestbed.StartAsync(new Dictionary<string, string?> { ["Storage:Ephemeral:Redis"] = TestServers.Redis(redis) });
        var peer = await bed.StartPeerAsync();
        var browser = bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync("/auth/wechat/oa/oa/start?returnUrl=%2Fdone", "alice");

        browser.Gateway = peer;
        var completed = await browser.GetAsync(callbackUrl);
        browser.Gateway = bed.Gateway;
        var repeated = await browser.GetAsync(callbackUrl);

        Assert.Equal((HttpStatusCode.Redirect, "/done"), (completed.StatusCode, completed.Headers.Location!.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, "/done"), (repeated.StatusCode, repeated.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/session")).StatusCode);
    }
}
