using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// At SIGTERM readiness turns 503 while the gateway still serves for <c>Gateway:Shutdown:DrainSeconds</c>, so the
/// load balancer takes it out before Kestrel stops; then the process exits 0 (docs/production.md, "Drain").
/// </summary>
public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task SigtermTurnsReadinessTo503WhileTheGatewayStillAnswersThenExitsZero()
    {
        var database = await TestServers.CreateMySqlDatabaseAsync();
        var destination = await TestDestination.StartAsync();
        try
        {
            var yarpPath = Path.Combine(Directory.CreateTempSubdirectory("gateway-drain-").FullName, "yarp.json");
            await File.WriteAllTextAsync(yarpPath, YarpJson.Build(destination.Url, [new TestRoute("api", "/api/{**rest}", "anonymous")]));
            var publicPort = FreePort.Next();
            var settings = GatewayProcessSettings.Valid(database, yarpPath, publicPort, FreePort.Next());
            // Long enough to be seen on a loaded machine; the test ends as soon as the process has exited.
            settings["Gateway__Shutdown__DrainSeconds"] = "8";
            using var gateway = GatewayCommandLine.Start([], settings);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{publicPort}"), Timeout = TimeSpan.FromSeconds(5) };

            Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(client, "/readyz") == HttpStatusCode.OK, TimeSpan.FromSeconds(60)), gateway.Output);

            // SIGTERM without waiting for the exit (as systemd, Docker and Kubernetes stop a service).
            var (killed, _) = await ChildProcess.RunAsync("kill", ["-TERM", gateway.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment.CurrentDirectory, TimeSpan.FromSeconds(10));
            Assert.Equal(0, killed);

            Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(client, "/readyz") == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)), gateway.Output);
            using (var readiness = await client.GetAsync("/readyz"))
            {
                Assert.Contains("\"shutdown\":{\"status\":\"failing\"", await readiness.Content.ReadAsStringAsync());
            }

            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/healthz"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/still-served"));
            Assert.False(gateway.HasExited, gateway.Output);

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await gateway.WaitForExitAsync(exit.Token);
            Assert.True(gateway.ExitCode == 0, gateway.Output);
            Assert.Contains("Shutting down: /readyz answers 503", gateway.Output);
        }
        finally
        {
            await destination.DisposeAsync();
            await TestServers.DropMySqlDatabaseAsync(database);
        }
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
