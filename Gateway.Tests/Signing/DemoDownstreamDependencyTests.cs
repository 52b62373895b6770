using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Signing;

/// <summary>
/// A legacy .NET service that only verifies the assertion takes the package and ASP.NET Core, nothing of the
/// gateway: the demo downstream's own build output is the proof.
/// </summary>
public sealed class DemoDownstreamDependencyTests
{
    [Fact]
    public void TheDemoDownstreamsBuildOutputHoldsThePackageAndNoProxyDatabaseRedisOrGatewayAssembly()
    {
        // This test assembly's folder is …/Gateway.Tests/bin/{Configuration}/{TargetFramework}/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var output = Path.Combine(Repository.Root, "Gateway.DemoDownstream", "bin", testOutput.Parent!.Name, testOutput.Name);
        var assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).ToList();

        Assert.Contains("Gateway.DemoDownstream.dll", assemblies);
        Assert.Contains("Gateway.IdentityAssertions.dll", assemblies);
        Assert.DoesNotContain(assemblies, name =>
            name!.StartsWith("Yarp.", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("MySql", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("StackExchange.Redis", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("SQLitePCL", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Dapper", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Gateway.Auth", StringComparison.OrdinalIgnoreCase));

        var dependencies = File.ReadAllText(Path.Combine(output, "Gateway.DemoDownstream.deps.json"));
        Assert.DoesNotContain("Yarp.ReverseProxy", dependencies, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway.Auth", dependencies, StringComparison.Ordinal);
    }
}
