using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>
/// One sandbox on Kestrel at 127.0.0.1:0 with a manual clock, and an HttpClient that talks to it the way a WeChat
/// client would (no automatic redirects, so a test sees WeChat's 302 back to the redirect_uri).
/// </summary>
public sealed partial class SandboxHarness : IAsyncDisposable
{
    public const string OfficialAccount = "wx_sandbox_oa";
    public const string Website = "wx_sandbox_web";
    public const string MobileApp = "wx_sandbox_app";
    public const string MiniProgram = "wx_sandbox_mp";
    public const string TwoStepMiniProgram = "wx_sandbox_mp_twostep";
    public const string UnboundMiniProgram = "wx_sandbox_mp_unbound";

    private SandboxHarness(WeChatSandboxServer server, FakeTimeProvider clock)
    {
        Server = server;
        Clock = clock;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public WeChatSandboxServer Server { get; }

    public FakeTimeProvider Clock { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxHarness> StartAsync(Action<WeChatSandboxOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
        return new SandboxHarness(await WeChatSandboxServer.StartAsync(configure, clock), clock);
    }

    public static string SecretOf(string appId) => appId.Replace("wx_sandbox_", "sandbox-secret-").Replace('_', '-');

    public string Url(string pathAndQuery) => Server.BaseUrl + pathAndQuery;

    /// <summary>GETs a WeChat API: WeChat answers HTTP 200 whatever happened.</summary>
    public async Task<JsonObject> GetApiAsync(string pathAndQuery)
    {
        using var response = await Http.GetAsync(Url(pathAndQuery));
        return await ReadApiAsync(response);
    }

    public async Task<JsonObject> PostApiAsync(string pathAndQuery, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(Url(pathAndQuery), content);
        return await ReadApiAsync(response);
    }

    public static async Task<JsonObject> ReadApiAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Asserts a WeChat error body: the errcode, and an errmsg ending in WeChat's random request id.</summary>
    public static void AssertErrcode(int expected, JsonObject body)
    {
        Assert.Equal(expected, (int)body["errcode"]!);
        Assert.Matches(@", rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", (string)body["errmsg"]!);
    }

    public Task<JsonObject> ExchangeOAuthCodeAsync(string appId, string code) =>
        GetApiAsync($"/sns/oauth2/access_token?appid={appId}&secret={SecretOf(appId)}&code={code}&grant_type=authorization_code");

    public Task<JsonObject> Code2SessionAsync(string appId, string code) =>
        GetApiAsync($"/sns/jscode2session?appid={appId}&secret={SecretOf(appId)}&js_code={code}&grant_type=authorization_code");

    public async Task<string> WxLoginAsync(string appId, string user) =>
        (string)(await PostHelperAsync($"/sandbox/wxlogin?appid={appId}&user={user}"))["code"]!;

    public async Task<JsonObject> PostHelperAsync(string pathAndQuery, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.PostAsync(Url(pathAndQuery), null);
        Assert.Equal(expected, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task<string> AppAccessTokenAsync(string appId)
    {
        var body = await GetApiAsync($"/cgi-bin/token?grant_type=client_credential&appid={appId}&secret={SecretOf(appId)}");
        return (string)body["access_token"]!;
    }

    public static string AuthorizeQuery(string appId, string redirectUri, string scope, string state) =>
        $"?appid={appId}&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code&scope={scope}&state={state}";

    /// <summary>Opens the consent page and returns the href of the element with the given id, as a browser would follow it.</summary>
    public async Task<Uri> ConsentLinkAsync(string authorizePathAndQuery, string elementId)
    {
        using var response = await Http.GetAsync(Url(authorizePathAndQuery));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        var match = Regex.Match(page, $"id=\"{Regex.Escape(elementId)}\" href=\"([^\"]+)\"");
        Assert.True(match.Success, $"the consent page has no link with id {elementId}");
        return new Uri(new Uri(Server.Origin), WebUtility.HtmlDecode(match.Groups[1].Value));
    }

    /// <summary>Clicks a consent-page link and returns where WeChat sends the browser back to.</summary>
    public async Task<Uri> FollowConsentAsync(string authorizePathAndQuery, string elementId)
    {
        using var response = await Http.GetAsync(await ConsentLinkAsync(authorizePathAndQuery, elementId));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Runs the official-account consent flow for a user and returns the code from the callback.</summary>
    public async Task<string> AuthorizeAsync(string appId, string user, string scope, string path = "/connect/oauth2/authorize")
    {
        var callback = await FollowConsentAsync(path + AuthorizeQuery(appId, "https://h5.example.com/cb", scope, "s1"), "user-" + user);
        return Query(callback)["code"]!;
    }

    public static Dictionary<string, string?> Query(Uri uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());

    public async Task PutFaultsAsync(string appId, object faults)
    {
        using var response = await Http.PutAsJsonAsync(Url($"/sandbox/faults/{appId}"), faults);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
