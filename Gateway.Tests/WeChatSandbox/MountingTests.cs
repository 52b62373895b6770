using System.Net;
using Gateway.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Gateway.WeChatSandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>AddWeChatSandbox/MapWeChatSandbox as a host (the gateway's embedded default) uses them.</summary>
public sealed class MountingTests : IAsyncLifetime
{
    private readonly FakeLoggerProvider _logs = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddWeChatSandbox();
        _app = builder.Build();
        _app.MapWeChatSandbox("/mounted/wechat/");
        await _app.StartAsync();
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Loopback.AddressOf(_app) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CustomPrefixServesTheConsentFlowAndTheApis()
    {
        var page = await _http.GetStringAsync(
            "/mounted/wechat/connect/oauth2/authorize" + SandboxHarness.AuthorizeQuery(SandboxHarness.OfficialAccount, "https://h5.example.com/cb", "snsapi_base", "a"));
        var link = System.Text.RegularExpressions.Regex.Match(page, "id=\"user-xiaoming\" href=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith("/mounted/wechat/sandbox/consent?", link);

        using var decision = await _http.GetAsync(WebUtility.HtmlDecode(link));
        var code = SandboxHarness.Query(decision.Headers.Location!)["code"];
        using var token = await _http.GetAsync($"/mounted/wechat/sns/oauth2/access_token?appid=wx_sandbox_oa&secret=sandbox-secret-oa&code={code}&grant_type=authorization_code");

        Assert.True((await SandboxHarness.ReadApiAsync(token)).ContainsKey("access_token"));
    }

    [Fact]
    public async Task LogsNeverContainSecretsCodesTokensOrSessionKeys()
    {
        var loginCode = (string)JsonNode.Parse(await (await _http.PostAsync("/mounted/wechat/sandbox/wxlogin?appid=wx_sandbox_mp&user=xiaoming", null)).Content.ReadAsStringAsync())!["code"]!;
        var session = await SandboxHarness.ReadApiAsync(await _http.GetAsync($"/mounted/wechat/sns/jscode2session?appid=wx_sandbox_mp&secret=sandbox-secret-mp&js_code={loginCode}&grant_type=authorization_code"));
        var appToken = await SandboxHarness.ReadApiAsync(await _http.GetAsync("/mounted/wechat/cgi-bin/token?grant_type=client_credential&appid=wx_sandbox_mp&secret=sandbox-secret-mp"));
        var oauthCode = _app.Services.GetRequiredService<WeChatSandboxState>().IssueAuthorizationCode("wx_sandbox_oa", "alice", "snsapi_userinfo");
        var snsToken = await SandboxHarness.ReadApiAsync(await _http.GetAsync($"/mounted/wechat/sns/oauth2/access_token?appid=wx_sandbox_oa&secret=sandbox-secret-oa&code={oauthCode}&grant_type=authorization_code"));
        _app.Services.GetRequiredService<WeChatSandboxState>().SetFaults("wx_sandbox_mp", new SandboxFaults { SystemBusyCalls = 1 });
        await _http.GetAsync($"/mounted/wechat/sns/jscode2session?appid=wx_sandbox_mp&secret=sandbox-secret-mp&js_code={loginCode}&grant_type=authorization_code");

        var sandboxLogs = _logs.Collector.GetSnapshot().Where(m => m.Category?.StartsWith("Gateway.WeChatSandbox", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(sandboxLogs);
        string[] secrets =
        [
            "sandbox-secret-mp", "sandbox-secret-oa", loginCode, oauthCode, (string)session["session_key"]!,
            (string)appToken["access_token"]!, (string)snsToken["access_token"]!, (string)snsToken["refresh_token"]!,
        ];
        Assert.All(sandboxLogs, m => Assert.DoesNotContain(secrets, s => m.Message.Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public void PrefixMustBeAbsolute()
    {
        Assert.Throws<ArgumentException>(() => _app.MapWeChatSandbox("wechat"));
    }
}
