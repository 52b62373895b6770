using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway (its Program) on Kestrel at loopback ports, with a yarp.json of the test's own in a temporary
/// file the test may rewrite, and its public and management listeners.
/// </summary>
public sealed class GatewayInstance : IAsyncDisposable
{
    public const string ManagementApiKey = "test-management-key-0123456789";

    private readonly GatewayFactory _factory;

    private GatewayInstance(GatewayFactory factory, string yarpPath, Uri publicUrl, Uri managementUrl)
    {
        _factory = factory;
        YarpPath = yarpPath;
        PublicUrl = publicUrl;
        ManagementUrl = managementUrl;
        Public = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = publicUrl };
        Management = new HttpClient { BaseAddress = managementUrl };
    }

    public string YarpPath { get; }

    public Uri PublicUrl { get; }

    public Uri ManagementUrl { get; }

    public HttpClient Public { get; }

    public HttpClient Management { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<GatewayInstance> StartAsync(string yarpJson, IDictionary<string, string?>? settings = null, string? proxyConfigFile = null)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-test-");
        var yarpPath = Path.Combine(directory.FullName, "yarp.json");
        File.WriteAllText(yarpPath, yarpJson);

        var publicUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var managementUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var all = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Public:Url"] = publicUrl.ToString(),
            ["Kestrel:Endpoints:Management:Url"] = managementUrl.ToString(),
            ["Management:ApiKey"] = ManagementApiKey,
            ["Storage:Relational:Provider"] = "MySql",
            ["Storage:Relational:ConnectionString"] = await TestServers.CreateMySqlDatabaseAsync(),
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration,
            ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new GatewayFactory(proxyConfigFile ?? yarpPath, all);
        try
        {
            factory.UseKestrel();
            factory.StartServer();
        }
        catch
        {
            factory.Dispose();
            directory.Delete(recursive: true);
            throw;
        }

        return new GatewayInstance(factory, yarpPath, publicUrl, managementUrl);
    }

    /// <summary>Builds the gateway with the given settings and returns the start-up failure, if any.</summary>
    public static Exception? TryStart(string yarpJson, IDictionary<string, string?>? settings = null, string? proxyConfigFile = null)
    {
        try
        {
            StartAsync(yarpJson, settings, proxyConfigFile).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Management.Dispose();
        await _factory.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(YarpPath)!, recursive: true);
    }

    private sealed class GatewayFactory(string yarpPath, IDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Functional tests run the production configuration (MySQL, Redis, no sandbox) unless a test says otherwise.
            builder.UseEnvironment("Production");

            // Read by Program.cs before the app configuration below is applied, so it goes in as a host setting.
            builder.UseSetting("Gateway:Proxy:ConfigFile", yarpPath);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
