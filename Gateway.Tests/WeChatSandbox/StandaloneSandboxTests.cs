using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.WeChatSandbox;

/// <summary>
/// The sandbox program run from a folder that also holds the gateway's appsettings.json (this test's own output
/// folder, like the gateway's publish folder): it reads none of the gateway's settings and listens only where
/// <c>--urls</c> says.
/// </summary>
public sealed class StandaloneSandboxTests
{
    [Fact]
    public async Task RunBesideTheGatewaysSettingsItListensOnlyWhereUrlsSays()
    {
        var folder = AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(folder, "appsettings.json")), "The gateway's appsettings.json must be beside the sandbox for this test to mean anything.");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        using var sandbox = ChildProcess.Start("dotnet", [Path.Combine(folder, "Gateway.WeChatSandbox.dll"), "--urls", url], folder);
        using var client = new HttpClient { BaseAddress = new Uri(url) };

        var up = await Eventually.TrueAsync(
            async () => !sandbox.HasExited && (await client.GetAsync("/_sandbox/wechat/sandbox/")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));

        Assert.True(up, sandbox.Output);
        var listening = sandbox.Output.Split('\n').Where(line => line.Contains("Now listening on", StringComparison.Ordinal)).ToList();
        Assert.True(listening.Count == 1 && listening[0].Contains(url, StringComparison.Ordinal), sandbox.Output);
    }
}
