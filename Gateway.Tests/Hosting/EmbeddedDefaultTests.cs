using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>The README's run command, for real, and the published build the Dockerfile makes.</summary>
public sealed class EmbeddedDefaultTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("gateway-publish-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task DotnetRunStartsTheEmbeddedDefaultAndTheDemoDownstreamAnswersThroughTheProxy()
    {
        using var gateway = await EmbeddedGateway.DotnetRunAsync();

        await AssertServesDemoAsync(gateway);
    }

    [Fact]
    public async Task PublishedGatewayRunsFromAnotherWorkingDirectory()
    {
        var output = await PublishAsync();
        var elsewhere = _scratch.CreateSubdirectory("elsewhere");
        var dll = Path.Combine(output, "Gateway.dll");

        using var gateway = await EmbeddedGateway.PublishedAsync(dll, elsewhere.FullName);

        await AssertServesDemoAsync(gateway);

        // The container HEALTHCHECK command.
        var healthy = await ChildProcess.RunAsync("dotnet", [dll, "healthcheck", $"{gateway.PublicUrl}healthz"], elsewhere.FullName, TimeSpan.FromSeconds(30));
        Assert.True(healthy.ExitCode == 0, healthy.Output);
        var dead = await ChildProcess.RunAsync("dotnet", [dll, "healthcheck", $"http://127.0.0.1:{FreePort.Next()}/healthz"], elsewhere.FullName, TimeSpan.FromSeconds(30));
        Assert.Equal(1, dead.ExitCode);
    }

    [Fact]
    public async Task PublishingAfterALocalRunShipsNoLocalState()
    {
        // A person runs the embedded default in the project folder: the SQLite file and the development signing
        // keys (a JSON file, which the Web SDK would publish as content) land in Gateway/data.
        var project = Path.Combine(Repository.Root, "Gateway");
        var data = new DirectoryInfo(Path.Combine(project, "data"));
        var hadData = data.Exists;
        try
        {
            using (var gateway = await EmbeddedGateway.DotnetRunKeepingStateInAsync(project))
            {
                await AssertServesDemoAsync(gateway);
            }

            Assert.True(File.Exists(Path.Combine(data.FullName, "signing-keys.json")), "the local run kept its signing keys in Gateway/data");
            Assert.True(File.Exists(Path.Combine(data.FullName, "gateway.db")), "the local run kept its database in Gateway/data");

            var output = await PublishAsync();

            var shipped = Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(output, path))
                .ToList();
            Assert.Contains("Gateway.dll", shipped);
            Assert.DoesNotContain(shipped, path => path.Split(Path.DirectorySeparatorChar).Contains("data")
                || Path.GetFileName(path) is "signing-keys.json" or "gateway.db" or "gateway.db-wal" or "gateway.db-shm");
        }
        finally
        {
            if (!hadData && Directory.Exists(data.FullName))
            {
                data.Delete(recursive: true);
            }
        }
    }

    /// <summary>The same publish the Dockerfile runs.</summary>
    private async Task<string> PublishAsync()
    {
        var output = Path.Combine(_scratch.FullName, "publish");
        var (exitCode, log) = await ChildProcess.RunAsync(
            "dotnet",
            ["publish", Path.Combine(Repository.Root, "Gateway", "Gateway.csproj"), "-c", "Release", "-o", output],
            Repository.Root,
            TimeSpan.FromMinutes(8));
        Assert.True(exitCode == 0, log);
        return output;
    }

    private static async Task AssertServesDemoAsync(EmbeddedGateway gateway)
    {
        using var client = new HttpClient { BaseAddress = gateway.PublicUrl };

        var response = await client.GetAsync("/demo/public/hello?from=test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("demo-downstream", echo.RootElement.GetProperty("service").GetString());
        Assert.Equal("/demo/public/hello", echo.RootElement.GetProperty("path").GetString());
        Assert.Equal("?from=test", echo.RootElement.GetProperty("query").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }
}
