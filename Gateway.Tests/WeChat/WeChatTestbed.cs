using System.Collections.Concurrent;
using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.WeChat;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Relational;
using Gateway.Tests.WeChatSandbox;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Testing;

namespace Gateway.Tests.WeChat;

/// <summary>
/// The gateway's WeChat client, built from its real registration, talking over HTTP to a sandbox on Kestrel with a
/// manual clock. Every request the client sends is counted per API path, and every log line is kept.
/// </summary>
public sealed class WeChatTestbed : IAsyncDisposable
{
    public const string OfficialAccount = "wx_sandbox_oa";
    public const string Website = "wx_sandbox_web";
    public const string MobileApp = "wx_sandbox_app";
    public const string MiniProgram = "wx_sandbox_mp";
    public const string TwoStep = "wx_sandbox_mp_twostep";

    private readonly List<ServiceProvider> _instances = [];

    private WeChatTestbed(WeChatSandboxServer sandbox, FakeTimeProvider clock, string redisPrefix)
    {
        Sandbox = sandbox;
        Clock = clock;
        RedisPrefix = redisPrefix;
    }

    public WeChatSandboxServer Sandbox { get; }

    /// <summary>The sandbox's clock (codes, tokens, latency); the client itself runs on real time.</summary>
    public FakeTimeProvider Clock { get; }

    public string RedisPrefix { get; }

    public ConcurrentDictionary<string, int> Requests { get; } = new();

    public FakeLoggerProvider Logs { get; } = new();

    /// <summary>Every formatted log message so far.</summary>
    public IEnumerable<string> LogMessages => Logs.Collector.GetSnapshot().Select(record => record.Message);

    public static async Task<WeChatTestbed> StartAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return new WeChatTestbed(await WeChatSandboxServer.StartAsync(timeProvider: clock), clock, TestServers.NewKeyPrefix());
    }

    public static string SecretOf(string appId) => SandboxHarness.SecretOf(appId);

    public int RequestsTo(string api) => Requests.GetValueOrDefault(api);

    /// <summary>A gateway instance's WeChat services; instances of one testbed share the Redis prefix.</summary>
    public IServiceProvider NewInstance(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration,
            ["Storage:Ephemeral:KeyPrefix"] = RedisPrefix,
            ["WeChat:ApiBaseUrl"] = Sandbox.BaseUrl,
            ["WeChat:OpenBaseUrl"] = Sandbox.BaseUrl,
            ["WeChat:Timeout"] = "00:00:03",
            ["WeChat:Retry:Attempts"] = "2",
            ["WeChat:Retry:BaseDelay"] = "00:00:00.020",
            ["WeChat:Retry:MaxDelay"] = "00:00:00.050",
        };
        foreach (var (key, appId, kind) in new[]
        {
            ("oa", OfficialAccount, "OfficialAccount"), ("web", Website, "Website"), ("app", MobileApp, "MobileApp"),
            ("mp", MiniProgram, "MiniProgram"), ("twostep", TwoStep, "MiniProgram"),
        })
        {
            settings[$"WeChat:Apps:{key}:Kind"] = kind;
            settings[$"WeChat:Apps:{key}:AppId"] = appId;
            settings[$"WeChat:Apps:{key}:Secret"] = SecretOf(appId);
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddEphemeralStore(configuration);
        services.AddWeChatApi(configuration);
        services.AddHttpClient(WeChatApiClient.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(Requests));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _instances.Add(provider);
        return provider;
    }

    public WeChatApp App(IServiceProvider instance, string key) =>
        instance.GetRequiredService<WeChatApps>().All.Single(a => a.Key == key);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Sandbox.DisposeAsync();
    }

    /// <summary>Observes (never answers) the client's requests: counts them by API path.</summary>
    private sealed class CountingHandler(ConcurrentDictionary<string, int> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var api = path[(path.IndexOf("/_sandbox/wechat/", StringComparison.Ordinal) + "/_sandbox/wechat/".Length)..];
            requests.AddOrUpdate(api, 1, (_, n) => n + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
