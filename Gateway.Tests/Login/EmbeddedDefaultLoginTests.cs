using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

/// <summary>
/// <c>dotnet run --project Gateway</c>: the embedded default's WeChat apps are the sandbox it serves itself, reached
/// through relative base URLs, so every flow works on a fresh checkout.
/// </summary>
public sealed class EmbeddedDefaultLoginTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("gateway-embedded-login-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task TheEmbeddedDefaultSignsInAMiniProgramUserAndStartsOfficialAccountLoginAgainstItsOwnSandbox()
    {
        var port = FreePort.Next();
        var origin = $"http://127.0.0.1:{port}";
        var demo = FreePort.Next();
        using var gateway = ChildProcess.Start(
            "dotnet",
            ["run", "--no-build", "--project", Path.Combine(Repository.Root, "Gateway")],
            Repository.Root,
            new Dictionary<string, string>
            {
                ["Kestrel__Endpoints__Public__Url"] = origin,
                ["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["DemoDownstream__Url"] = $"http://127.0.0.1:{demo}",
                ["ReverseProxy__Clusters__demo__Destinations__demo-1__Address"] = $"http://127.0.0.1:{demo}/",
                ["Storage__Relational__ConnectionString"] = $"Data Source={Path.Combine(_scratch.FullName, "gateway.db")}",
                ["Login__PublicBaseUrl"] = origin,
                // The sessions branch wires signing without development keys in appsettings.Development.json yet.
                ["Signing__GenerateDevelopmentKeys"] = "true",
            });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(origin) };
        var up = await Eventually.TrueAsync(
            async () => !gateway.HasExited && (await client.GetAsync("/healthz")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        Assert.True(up, "the gateway did not come up:\n" + gateway.Output);

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
