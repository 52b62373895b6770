using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gateway.Tests.Login;

/// <summary>Gateway instances sharing Redis and the database behave as one: every step of a login may land on another.</summary>
public sealed class MultiInstanceLoginTests : IAsyncLifetime
{
    private LoginTestbed _bed = null!;

    public async Task InitializeAsync() => _bed = await LoginTestbed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task ATicketFromOneInstanceBindsOnAnotherOnce()
    {
        var peer = await _bed.StartPeerAsync();
        var (_, first) = await _bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, "xiaohong");
        var data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, "xiaohong");
        var bind = new { ticket = first.GetProperty("ticket").GetString(), encryptedData = data.EncryptedData, iv = data.Iv };

        var onPeer = await peer.Public.PostAsJsonAsync("/auth/wechat/miniprogram/twostep/bind", bind);
        var again = await _bed.Api.PostAsJsonAsync("/auth/wechat/miniprogram/twostep/bind", bind);

        Assert.Equal(HttpStatusCode.OK, onPeer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("ticket_invalid", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnOAuthLoginStartedOnOneInstanceCompletesOnAnotherAndItsRepeatOnAThird()
    {
        var peer = await _bed.StartPeerAsync();
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync("/auth/wechat/oa/oa/start?returnUrl=%2Fdone", "alice");

        browser.Gateway = peer;
        var completed = await browser.GetAsync(callbackUrl);
        browser.Gateway = _bed.Gateway;
        var repeated = await browser.GetAsync(callbackUrl);

        Assert.Equal((HttpStatusCode.Redirect, "/done"), (completed.StatusCode, completed.Headers.Location!.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, "/done"), (repeated.StatusCode, repeated.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/auth/session")).StatusCode);
    }
}
