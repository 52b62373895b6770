using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

/// <summary>
/// <c>dotnet run --project Gateway</c>: the embedded default's WeChat apps are the sandbox it serves itself, reached
/// through relative base URLs, so every flow works on a fresh checkout.
/// </summary>
public sealed class EmbeddedDefaultLoginTests
{
    [Fact]
    public async Task TheEmbeddedDefaultSignsInAMiniProgramUserAndStartsOfficialAccountLoginAgainstItsOwnSandbox()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();
        var origin = gateway.PublicUrl.ToString().TrimEnd('/');
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway.PublicUrl };

        var wxLogin = await client.PostAsync("/_sandbox/wechat/sandbox/wxlogin?appid=wx_sandbox_mp&user=xiaoming", null);
        var code = (await wxLogin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        var login = await client.PostAsJsonAsync("/auth/wechat/miniprogram/mp/login", new { code });
        Assert.True(login.StatusCode == HttpStatusCode.OK, await login.Content.ReadAsStringAsync() + gateway.Output);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var session = new HttpRequestMessage(HttpMethod.Get, "/auth/session");
        session.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(session)).StatusCode);

        var start = await client.GetAsync("/auth/wechat/oa/oa/start?scope=snsapi_userinfo");
        var location = start.Headers.Location!.ToString();
        Assert.StartsWith(origin + "/_sandbox/wechat/connect/oauth2/authorize?appid=wx_sandbox_oa", location);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString(origin + "/auth/wechat/oa/oa/callback"), location);
    }
}
