using Gateway.Tests.Infrastructure;
using Gateway.Tests.Signing;

namespace Gateway.Tests.Hosting;

/// <summary>A complete Production configuration for a gateway process, as environment variables (Section__Key).</summary>
internal static class GatewayProcessSettings
{
    public static Dictionary<string, string> Valid(string connectionString, string yarpPath, int publicPort, int managementPort) => Environment(new Dictionary<string, string>
    {
        ["Kestrel:Endpoints:Public:Url"] = $"http://127.0.0.1:{publicPort}",
        ["Kestrel:Endpoints:Management:Url"] = $"http://127.0.0.1:{managementPort}",
        ["Gateway:Proxy:ConfigFile"] = yarpPath,
        ["Management:ApiKey"] = GatewayInstance.ManagementApiKey,
        ["Storage:Relational:Provider"] = "MySql",
        ["Storage:Relational:ConnectionString"] = connectionString,
        ["Storage:Ephemeral:Provider"] = "Redis",
        ["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration,
        ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
        ["Signing:Hs256:ActiveKeyId"] = TestKeys.ActiveHs256Id,
        [$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:Secret"] = TestKeys.ActiveHs256Secret,
    });

    /// <summary>Settings written as the environment variables an operator would set.</summary>
    public static Dictionary<string, string> Environment(IDictionary<string, string> settings) =>
        settings.ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);

    /// <summary>A yarp.json in a temporary file: one cluster "backend" with the given routes.</summary>
    public static string WriteYarp(params TestRoute[] routes)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("gateway-process-").FullName, "yarp.json");
        File.WriteAllText(path, YarpJson.Build(new Uri("http://127.0.0.1:9/"), routes));
        return path;
    }
}
