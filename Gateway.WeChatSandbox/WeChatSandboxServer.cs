using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.WeChatSandbox;

/// <summary>
/// The sandbox on Kestrel at http://127.0.0.1:{free port}, for tests and local tools. <see cref="BaseUrl"/> replaces
/// both https://open.weixin.qq.com and https://api.weixin.qq.com; the helper operations are also callable directly.
/// </summary>
public sealed class WeChatSandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WeChatSandboxServer(WebApplication app, string origin)
    {
        _app = app;
        Origin = origin;
        State = app.Services.GetRequiredService<WeChatSandboxState>();
    }

    /// <summary>Scheme, host and port, e.g. http://127.0.0.1:40123.</summary>
    public string Origin { get; }

    /// <summary>Where WeChat's paths start, e.g. http://127.0.0.1:40123/_sandbox/wechat (no trailing slash).</summary>
    public string BaseUrl => Origin + WeChatSandboxEndpointRouteBuilderExtensions.DefaultPrefix;

    public WeChatSandboxState State { get; }

    public static async Task<WeChatSandboxServer> StartAsync(
        Action<WeChatSandboxOptions>? configure = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Only the caller's options shape this sandbox: not the test host's appsettings.json or environment.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddWeChatSandbox(configure);
        var app = builder.Build();
        app.MapWeChatSandbox();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WeChatSandboxServer(app, address.TrimEnd('/'));
    }

    public string OpenIdOf(string appId, string userKey) => State.OpenIdOf(appId, userKey);

    public string? UnionIdOf(string appId, string userKey) => State.UnionIdOf(appId, userKey);

    public string IssueAuthorizationCode(string appId, string userKey, string scope) => State.IssueAuthorizationCode(appId, userKey, scope);

    public string IssueMiniProgramLoginCode(string appId, string userKey) => State.IssueMiniProgramLoginCode(appId, userKey);

    public string IssueAppSdkCode(string appId, string userKey) => State.IssueAppSdkCode(appId, userKey);

    public string IssuePhoneCode(string appId, string userKey) => State.IssuePhoneCode(appId, userKey);

    public EncryptedUserData EncryptUserData(string appId, string userKey) => State.EncryptUserData(appId, userKey);

    public string IssueMultiPlatformLoginCode(string appId, string userKey, string type = "weixinApp") => State.IssueMultiPlatformLoginCode(appId, userKey, type);

    public string MultiPlatformUserIdOf(string appId, string userKey) => State.MultiPlatformUserIdOf(appId, userKey);

    public void ExpireSessionKey(string appId, string userKey) => State.ExpireSessionKey(appId, userKey);

    public (string EncryptedData, string Iv) EncryptPhoneData(string appId, string userKey) => State.EncryptPhoneData(appId, userKey);

    public void SetFaults(string appId, SandboxFaults faults) => State.SetFaults(appId, faults);

    public void ClearFaults(string appId) => State.ClearFaults(appId);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
