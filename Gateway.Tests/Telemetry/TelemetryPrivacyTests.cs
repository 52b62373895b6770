using System.Net;
using Gateway.Tests.Login;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// After every kind of login and a proxied request, neither a scrape of the metrics nor the access log holds any
/// openid, unionid, session token, WeChat code or ticket the logins used (docs/security.md §10).
/// </summary>
public sealed class TelemetryPrivacyTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    /// <summary>Logs in once per flow and returns every secret value the logins and the proxied requests carried.</summary>
    private async Task<List<string>> LogInEveryWayAsync()
    {
        var secrets = new List<string>();
        async Task<string> LoginAsync(string path, string appId, string user, string code)
        {
            secrets.Add(code);
            secrets.Add(_bed.OpenIdOf(appId, user));
            if (_bed.UnionIdOf(appId, user) is { } unionId)
            {
                secrets.Add(unionId);
            }

            var (response, body) = await _bed.PostAsync(path, new { code });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var token = body.TryGetProperty("token", out var t) ? t.GetString()! : body.GetProperty("ticket").GetString()!;
            secrets.Add(token);
            return token;
        }

        var miniProgramUser = _bed.NewUser();
        var token = await LoginAsync("/auth/wechat/miniprogram/mp/login", LoginTestbed.MiniProgram, miniProgramUser,
            _bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, miniProgramUser));
        var appUser = _bed.NewUser();
        await LoginAsync("/auth/wechat/app/app/login", LoginTestbed.MobileApp, appUser, _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, appUser));
        var donutUser = _bed.NewUser();
        await LoginAsync("/auth/wechat/multiplatform/donut/login", LoginTestbed.MultiPlatform, donutUser,
            _bed.Sandbox.IssueMultiPlatformLoginCode(LoginTestbed.MultiPlatform, donutUser));
        secrets.Add(_bed.Sandbox.MultiPlatformUserIdOf(LoginTestbed.MultiPlatform, donutUser));

        var browserUser = _bed.NewUser();
        var browser = _bed.NewBrowser();
        var landed = await browser.LogInAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo", browserUser);
        Assert.True(landed.StatusCode is HttpStatusCode.Found or HttpStatusCode.OK, $"the browser login answered {landed.StatusCode}");
        secrets.Add(browser.SessionToken!);
        secrets.Add(_bed.OpenIdOf(LoginTestbed.OfficialAccount, browserUser));

        var (proxied, _) = await _bed.GetAsync("/api/orders?token=" + token, token);
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        return secrets;
    }

    [Fact]
    public async Task NoMetricTagHoldsAnOpenIdUnionIdTokenOrCode()
    {
        var secrets = await LogInEveryWayAsync();

        var text = await Scrape.TextAsync(_bed.Gateway);
        var samples = Scrape.Parse(text);

        Assert.True(Scrape.Sum(samples, "gateway_logins_total", ("result", "ok")) >= 4);
        var values = samples.SelectMany(s => s.Labels.Values).ToHashSet();
        Assert.All(secrets, secret =>
        {
            Assert.DoesNotContain(secret, values);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task NoAccessLogLineHoldsAnOpenIdUnionIdTokenOrCode()
    {
        var secrets = await LogInEveryWayAsync();

        var lines = _bed.Logs.Lines.Where(line => line.StartsWith("Gateway.AccessLog ", StringComparison.Ordinal)).ToList();

        Assert.Contains(lines, line => line.Contains("[Route=miniprogram.login]", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("[Route=oa.callback]", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("[Route=api]", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.All(secrets, secret => Assert.DoesNotContain(secret, line, StringComparison.Ordinal)));
    }
}
