using System.Text.Json;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The packages the gateway moved away from (README, "Dependencies") stay gone: read from the dependency manifests
/// the build writes for the gateway and for this test assembly, which between them hold every package any
/// project here resolves, transitive ones included.
/// </summary>
public sealed class RetiredPackagesTests
{
    public static TheoryData<string> Manifests => new() { "Gateway.deps.json", "Gateway.Tests.deps.json" };

    [Theory]
    [MemberData(nameof(Manifests))]
    public void NoRetiredPackageIsResolved(string manifest)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, manifest)));
        var packages = deps.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(library => library.Value.GetProperty("type").GetString() == "package")
            .Select(library => library.Name.Split('/'))
            .Select(parts => (Name: parts[0], Version: Version.Parse(parts[1].Split('-')[0])))
            .ToList();

        Assert.Contains(packages, p => p.Name == "MySqlConnector");
        var retired = packages.Where(p =>
            p.Name is "MySql.Data" or "Google.Protobuf" or "System.Security.Permissions"
            || p.Name.StartsWith("BouncyCastle", StringComparison.OrdinalIgnoreCase)
            || (p.Name.StartsWith("SQLitePCLRaw", StringComparison.Ordinal) && p.Version < new Version(2, 1))
            || (p.Name == "StackExchange.Redis" && p.Version.Major < 2)
            || (p.Name == "System.IO.Hashing" && p.Version < new Version(10, 0, 2)));
        Assert.Empty(retired);
    }

    [Fact]
    public void TheGatewayRunsWithTheThreadPoolDefaults()
    {
        // The floor of 64 threads made up for a blocking database driver; a truly async one needs no floor.
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Gateway.runtimeconfig.json")));
        var properties = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.GC.Server", out _), "the gateway's own runtimeconfig was read");
        Assert.False(properties.TryGetProperty("System.Threading.ThreadPool.MinThreads", out _));
    }
}
