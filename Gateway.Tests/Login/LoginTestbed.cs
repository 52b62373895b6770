using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.WeChatSandbox;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Login;

/// <summary>
/// The real gateway (Kestrel, MariaDB, Redis, Production environment) with its WeChat apps pointed at a sandbox on
/// Kestrel (manual clock), and a destination behind a required route. Browsers reach the gateway as
/// <see cref="PublicBaseUrl"/>, the origin WeChat redirects back to; <see cref="TestBrowser"/> maps it to the gateway.
/// </summary>
public sealed class LoginTestbed : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://gateway.example.test";
    public const string ShopOrigin = "https://shop.example.com";

    public const string OfficialAccount = "wx_sandbox_oa";
    public const string Website = "wx_sandbox_web";
    public const string MobileApp = "wx_sandbox_app";
    public const string MiniProgram = "wx_sandbox_mp";
    public const string TwoStep = "wx_sandbox_mp_twostep";
    public const string Unbound = "wx_sandbox_mp_unbound";

    /// <summary>Users besides the sandbox's built-in four, so tests sharing a testbed each have a WeChat user of their own.</summary>
    private const int ExtraUsers = 60;

    private int _nextUser;

    private readonly List<GatewayInstance> _peers = [];
    private readonly IDictionary<string, string?> _settings;
    private readonly string _yarp;

    private LoginTestbed(WeChatSandboxServer sandbox, FakeTimeProvider clock, TestDestination destination, GatewayInstance gateway, LogCapture logs, IDictionary<string, string?> settings, string yarp)
    {
        _settings = settings;
        _yarp = yarp;
        Sandbox = sandbox;
        Clock = clock;
        Destination = destination;
        Gateway = gateway;
        Logs = logs;
    }

    public WeChatSandboxServer Sandbox { get; }

    public FakeTimeProvider Clock { get; }

    public TestDestination Destination { get; }

    public GatewayInstance Gateway { get; }

    public LogCapture Logs { get; }

    public HttpClient Api => Gateway.Public;

    public static async Task<LoginTestbed> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sandbox = await WeChatSandboxServer.StartAsync(
            options =>
            {
                options.Users = [.. WeChatSandboxDefaults.Users(), .. Enumerable.Range(1, ExtraUsers).Select(ExtraUser)];
                options.SnapshotUser = WeChatSandboxDefaults.SnapshotUser;
            },
            clock);
        var destination = await TestDestination.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseUrl"] = sandbox.BaseUrl,
            ["WeChat:OpenBaseUrl"] = sandbox.BaseUrl,
            ["WeChat:Timeout"] = "00:00:02",
            ["WeChat:Retry:BaseDelay"] = "00:00:00.020",
            ["WeChat:Retry:MaxDelay"] = "00:00:00.050",
            ["Login:PublicBaseUrl"] = PublicBaseUrl,
            ["Login:AllowedReturnOrigins:0"] = ShopOrigin,
            // Many tests share one testbed from one address; the limits have tests of their own.
            ["Login:RateLimit:PerClientPermits"] = "100000",
            ["Login:RateLimit:PerOpenIdPermits"] = "100000",
            ["Gateway:Authorization:Policies:verified-phone:RequireClaims:0:Type"] = "phone_number_verified",
        };
        foreach (var (key, appId, kind) in new[]
        {
            ("oa", OfficialAccount, "OfficialAccount"), ("web", Website, "Website"), ("app", MobileApp, "MobileApp"),
            ("mp", MiniProgram, "MiniProgram"), ("twostep", TwoStep, "MiniProgram"), ("unbound", Unbound, "MiniProgram"),
        })
        {
            settings[$"WeChat:Apps:{key}:Kind"] = kind;
            settings[$"WeChat:Apps:{key}:AppId"] = appId;
            settings[$"WeChat:Apps:{key}:Secret"] = SandboxHarness.SecretOf(appId);
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var logs = new LogCapture();
        var yarp = YarpJson.Build(
            destination.Url,
            new TestRoute("api", "/api/{**rest}", "required"),
            new TestRoute("verified", "/verified/{**rest}", "verified-phone"),
            new TestRoute("pages", "/pages/{**rest}", "required", LoginPath: "/auth/wechat/oa/oa/start?scope=snsapi_userinfo"));
        var gateway = await GatewayInstance.StartAsync(yarp, settings, logs: logs);
        return new LoginTestbed(sandbox, clock, destination, gateway, logs, settings, yarp);
    }

    /// <summary>Another gateway instance sharing this one's database and Redis keys, as behind a load balancer.</summary>
    public async Task<GatewayInstance> StartPeerAsync()
    {
        var configuration = (Microsoft.Extensions.Configuration.IConfiguration)Gateway.Services.GetService(typeof(Microsoft.Extensions.Configuration.IConfiguration))!;
        var settings = new Dictionary<string, string?>(_settings)
        {
            ["Storage:Relational:ConnectionString"] = configuration["Storage:Relational:ConnectionString"],
            ["Storage:Ephemeral:KeyPrefix"] = configuration["Storage:Ephemeral:KeyPrefix"],
        };
        var peer = await GatewayInstance.StartAsync(_yarp, settings);
        _peers.Add(peer);
        return peer;
    }

    /// <summary>A WeChat user no other test of this testbed has used; its nickname is <see cref="NicknameOf"/>.</summary>
    public string NewUser()
    {
        var n = Interlocked.Increment(ref _nextUser);
        Assert.True(n <= ExtraUsers, "The testbed ran out of fresh users.");
        return ExtraUser(n).Key;
    }

    public static string NicknameOf(string user) => "用户 " + user + " 🐼";

    private static SandboxUser ExtraUser(int n)
    {
        var key = $"user{n:00}";
        return new SandboxUser { Key = key, Nickname = NicknameOf(key), HeadImgUrl = $"https://thirdwx.qlogo.cn/mmopen/vi_32/{key}/132", Phone = $"139{n:00000000}" };
    }

    public TestBrowser NewBrowser(GatewayInstance? gateway = null) => new(this, gateway ?? Gateway);

    public string OpenIdOf(string appId, string user) => Sandbox.OpenIdOf(appId, user);

    public string? UnionIdOf(string appId, string user) => Sandbox.UnionIdOf(appId, user);

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object body, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return await SendAsync(request);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone());
    }

    /// <summary>wx.login in the Mini Program, then the gateway's login endpoint.</summary>
    public Task<(HttpResponseMessage Response, JsonElement Body)> MiniProgramLoginAsync(string app, string appId, string user) =>
        PostAsync($"/auth/wechat/miniprogram/{app}/login", new { code = Sandbox.IssueMiniProgramLoginCode(appId, user) });

    /// <summary>The whole two-step login: login → user_info_needed → wx.getUserProfile → bind.</summary>
    public async Task<JsonElement> TwoStepLoginAsync(string app, string appId, string user)
    {
        var (_, first) = await MiniProgramLoginAsync(app, appId, user);
        Assert.Equal("user_info_needed", first.GetProperty("status").GetString());
        var data = Sandbox.EncryptUserData(appId, user);
        var (response, body) = await PostAsync($"/auth/wechat/miniprogram/{app}/bind", new
        {
            ticket = first.GetProperty("ticket").GetString(),
            encryptedData = data.EncryptedData,
            iv = data.Iv,
            rawData = data.RawData,
            signature = data.Signature,
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }

        await Gateway.DisposeAsync();
        await Destination.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
