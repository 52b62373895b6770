using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The README's run command, for real: the gateway as a separate process on the embedded default (SQLite file,
/// in-memory store, WeChat sandbox, in-process demo downstream), answering through the proxy.
/// </summary>
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("gateway-embedded-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task DotnetRunStartsTheEmbeddedDefaultAndTheDemoDownstreamAnswersThroughTheProxy()
    {
        var ports = new EmbeddedPorts();
        using var gateway = ChildProcess.Start(
            "dotnet",
            ["run", "--no-build", "--project", Path.Combine(Repository.Root, "Gateway")],
            Repository.Root,
            ports.Environment(_scratch.FullName));

        await AssertServesDemoAsync(gateway, ports);
    }

    [Fact]
    public async Task PublishedGatewayRunsFromAnotherWorkingDirectory()
    {
        // The same publish the Dockerfile runs.
        var output = Path.Combine(_scratch.FullName, "publish");
        var (exitCode, log) = await ChildProcess.RunAsync(
            "dotnet",
            ["publish", Path.Combine(Repository.Root, "Gateway", "Gateway.csproj"), "-c", "Release", "-o", output],
            Repository.Root,
            TimeSpan.FromMinutes(8));
        Assert.True(exitCode == 0, log);

        var elsewhere = _scratch.CreateSubdirectory("elsewhere");
        var ports = new EmbeddedPorts();
        var environment = ports.Environment(_scratch.FullName);
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var gateway = ChildProcess.Start("dotnet", [Path.Combine(output, "Gateway.dll")], elsewhere.FullName, environment);

        await AssertServesDemoAsync(gateway, ports);

        // The container HEALTHCHECK command.
        var dll = Path.Combine(output, "Gateway.dll");
        var healthy = await ChildProcess.RunAsync("dotnet", [dll, "healthcheck", $"http://127.0.0.1:{ports.Public}/healthz"], elsewhere.FullName, TimeSpan.FromSeconds(30));
        Assert.True(healthy.ExitCode == 0, healthy.Output);
        var dead = await ChildProcess.RunAsync("dotnet", [dll, "healthcheck", $"http://127.0.0.1:{FreePort.Next()}/healthz"], elsewhere.FullName, TimeSpan.FromSeconds(30));
        Assert.Equal(1, dead.ExitCode);
    }

    private static async Task AssertServesDemoAsync(ChildProcess gateway, EmbeddedPorts ports)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports.Public}") };
        var up = await Eventually.TrueAsync(
            async () => !gateway.HasExited && (await client.GetAsync("/healthz")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        Assert.True(up, "the gateway did not come up:\n" + gateway.Output);

        var response = await client.GetAsync("/demo/public/hello?from=test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("demo-downstream", echo.RootElement.GetProperty("service").GetString());
        Assert.Equal("/demo/public/hello", echo.RootElement.GetProperty("path").GetString());
        Assert.Equal("?from=test", echo.RootElement.GetProperty("query").GetString());

        var ready = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    /// <summary>The embedded default's documented ports (5080, 5089, 5081) moved to free ones so tests run anywhere.</summary>
    private sealed class EmbeddedPorts
    {
        public int Public { get; } = FreePort.Next();

        public int Management { get; } = FreePort.Next();

        public int Demo { get; } = FreePort.Next();

        public Dictionary<string, string> Environment(string dataDirectory) => new()
        {
            ["Kestrel__Endpoints__Public__Url"] = $"http://127.0.0.1:{Public}",
            ["Kestrel__Endpoints__Management__Url"] = $"http://127.0.0.1:{Management}",
            ["DemoDownstream__Url"] = $"http://127.0.0.1:{Demo}",
            ["ReverseProxy__Clusters__demo__Destinations__demo-1__Address"] = $"http://127.0.0.1:{Demo}/",
            ["Storage__Relational__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "gateway.db")}",
        };
    }
}
