using System.Net;
using System.Net.Http.Headers;
using Gateway.Auth.Login;
using Gateway.Auth.Sessions;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Signing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Login;

/// <summary>
/// docs/security.md §10, end to end: every log line of a whole run — Mini Program two-step login, an Official Account login
/// in a browser, proxied requests carrying signed identity, logout — and not one secret in any of them.
/// </summary>
public sealed class FullRunLogTests : IAsyncLifetime
{
    private LoginTestbed _bed = null!;

    public async Task InitializeAsync() => _bed = await LoginTestbed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task NoSecretOfAFullLoginAndProxyRunReachesAnyLogLine()
    {
        var secrets = new List<string>();

        // Mini Program: login → user_info_needed (ticket) → bind → bearer session.
        var user = _bed.NewUser();
        var (_, first) = await _bed.MiniProgramLoginAsync("twostep", LoginTestbed.TwoStep, user);
        var ticket = first.GetProperty("ticket").GetString()!;
        var sessionKey = await _bed.Gateway.Services.GetRequiredService<IEphemeralStore>().GetAsync(
            MiniProgramTickets.SessionKeyKey(LoginTestbed.TwoStep, _bed.OpenIdOf(LoginTestbed.TwoStep, user)));
        var data = _bed.Sandbox.EncryptUserData(LoginTestbed.TwoStep, user);
        var (bindResponse, bound) = await _bed.PostAsync("/auth/wechat/miniprogram/twostep/bind",
            new { ticket, encryptedData = data.EncryptedData, iv = data.Iv, rawData = data.RawData, signature = data.Signature });
        Assert.Equal(HttpStatusCode.OK, bindResponse.StatusCode);
        var bearer = bound.GetProperty("token").GetString()!;
        secrets.AddRange([ticket, sessionKey!, bearer, data.EncryptedData]);

        // A proxied required route with the bearer: the destination gets a signed assertion.
        var proxied = new HttpRequestMessage(HttpMethod.Get, "/api/orders/7?page=1");
        proxied.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var received = await HttpRequestRecord.ReadAsync(await _bed.Api.SendAsync(proxied));
        secrets.Add(Assert.Single(received.Headers["X-Union-Id-Assertion"])!);

        // Official Account in a browser: code, state, correlation cookie, session cookie.
        var browser = _bed.NewBrowser();
        var callbackUrl = await browser.AuthorizeAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo", "xiaoming");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callbackUrl)).StatusCode);
        var callback = System.Web.HttpUtility.ParseQueryString(new Uri(callbackUrl).Query);
        secrets.AddRange([callback["code"]!, callback["state"]!, browser.SessionToken!]);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/pages/home")).StatusCode);

        var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        Assert.Equal(HttpStatusCode.NoContent, (await _bed.Api.SendAsync(logout)).StatusCode);

        // Configured secrets: every AppSecret, the HS256 master secret, the management key; and the stored forms.
        secrets.AddRange(["sandbox-secret-", TestKeys.ActiveHs256Secret, GatewayInstance.ManagementApiKey]);
        // A session token is stored under its hash: that form is a credential lookup key too.
        secrets.AddRange(secrets.Where(s => s.StartsWith("wgs1.", StringComparison.Ordinal)).Select(SessionToken.Hash).ToList());

        // Microsoft.AspNetCore's request lines carry query strings (an OAuth callback's code and state): the shipped
        // appsettings.json keeps that category at Warning, and this is what those levels let through.
        var logs = _bed.Logs.AllAtShippedLevels();
        Assert.Contains("signed in", logs);
        foreach (var secret in secrets)
        {
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..Math.Min(6, secret.Length)]}...) reached the logs: " + string.Join("\n", logs.Split('\n').Where(l => l.Contains(secret, StringComparison.Ordinal))));
        }
    }

}
