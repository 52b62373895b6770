using System.Net;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// No Docker engine runs here, so the compose file's gateway settings are checked the other way round: the gateway
/// starts in Production with exactly that environment (only the MySQL/Redis addresses swapped for the test servers)
/// and the compose yarp.json.
/// </summary>
public sealed partial class ComposeFileTests
{
    [Fact]
    public async Task TheComposeGatewaySettingsStartTheGatewayInProduction()
    {
        var settings = GatewayEnvironment();
        Assert.Contains("Signing:Hs256:Keys:hs-2026-11:Secret", settings.Keys);
        settings.Remove("Storage:Relational:ConnectionString");
        settings["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration;
        settings.Remove("Gateway:Proxy:ConfigFile");
        var yarp = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "compose", "yarp.json"));

        await using var gateway = await GatewayInstance.StartAsync(yarp, settings);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Public.GetAsync("/readyz")).StatusCode);
        var login = await gateway.Public.GetAsync("/auth/wechat/oa/oa/start?scope=snsapi_base&returnUrl=%2Fdemo%2Forders%2F1");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("https://open.weixin.qq.com/connect/oauth2/authorize?", login.Headers.Location!.ToString());
    }

    /// <summary>The <c>environment:</c> block of the <c>gateway</c> service, as configuration keys.</summary>
    private static Dictionary<string, string?> GatewayEnvironment()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docker-compose.yml"));
        var gateway = Array.IndexOf(lines, "  gateway:");
        var environment = Array.FindIndex(lines, gateway, line => line == "    environment:");
        Assert.True(gateway > 0 && environment > gateway, "docker-compose.yml has a gateway service with an environment block");
        var settings = new Dictionary<string, string?>();
        foreach (var line in lines.Skip(environment + 1).TakeWhile(line => line.StartsWith("      ")))
        {
            var match = EnvironmentLine().Match(line);
            if (match.Success)
            {
                settings[match.Groups["key"].Value.Replace("__", ":")] = match.Groups["value"].Value.Trim().Trim('"');
            }
        }

        return settings;
    }

    [GeneratedRegex(@"^\s{6}(?<key>[A-Za-z0-9_.-]+):\s*(?<value>.*)$")]
    private static partial Regex EnvironmentLine();
}
