using Gateway.Tests.Forwarding;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>Bad production settings stop the gateway at start-up with a message naming the setting.</summary>
public sealed class StartupValidationTests
{
    private static readonly string Yarp = YarpJson.Build(new Uri("http://127.0.0.1:9/"), new TestRoute("api", "/api/{**rest}"));

    [Theory]
    [InlineData("Storage:Relational:ConnectionString", "", "Storage:Relational:ConnectionString")]
    [InlineData("Storage:Relational:Provider", "Oracle", "Storage:Relational:Provider")]
    [InlineData("Storage:Ephemeral:Redis", "", "Storage:Ephemeral:Redis")]
    [InlineData("Storage:Ephemeral:Provider", "Memcached", "Storage:Ephemeral:Provider")]
    [InlineData("Gateway:Proxy:DefaultActivityTimeout", "-00:00:01", "Gateway:Proxy:DefaultActivityTimeout")]
    [InlineData("WeChatSandbox:Enabled", "true", "WeChatSandbox:Enabled")]
    [InlineData("DemoDownstream:Enabled", "true", "DemoDownstream:Enabled")]
    [InlineData("Profile:AvatarHosts:0", "https://cdn.example.com", "Profile:AvatarHosts:0")]
    [InlineData("Profile:AvatarHosts:0", "*.example.com", "Profile:AvatarHosts:0")]
    [InlineData("Profile:MaxNicknameLength", "101", "Profile:MaxNicknameLength")]
    [InlineData("Telemetry:Otlp:MetricExportInterval", "00:00:00.500", "Telemetry:Otlp:MetricExportInterval")]
    public void InvalidSettingFailsStartUpNamingIt(string key, string value, string named)
    {
        var failure = GatewayInstance.TryStart(Yarp, new Dictionary<string, string?> { [key] = value });

        Assert.NotNull(failure);
        Assert.Contains(named, RoutePolicyValidationTests.AllMessages(failure));
    }

    [Fact]
    public void MissingProxyConfigFileFailsStartUpNamingTheSetting()
    {
        var failure = GatewayInstance.TryStart(Yarp, proxyConfigFile: Path.Combine(Path.GetTempPath(), "no-such-dir", "yarp.json"));

        Assert.NotNull(failure);
        Assert.Contains("Gateway:Proxy:ConfigFile", RoutePolicyValidationTests.AllMessages(failure));
    }
}
