using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Tests.Signing;
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
    private readonly string? _ownedDatabase;

    private GatewayInstance(GatewayFactory factory, string yarpPath, Uri publicUrl, Uri managementUrl, string? ownedDatabase)
    {
        _factory = factory;
        _ownedDatabase = ownedDatabase;
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

    /// <param name="yarpJson">The routes and clusters.</param>
    /// <param name="settings">Overrides of the default test settings.</param>
    /// <param name="proxyConfigFile">A proxy configuration file to use instead of the yarp.json written from <paramref name="yarpJson"/>.</param>
    /// <param name="logs">When given, receives every log entry at every level.</param>
    /// <param name="configurationFile">
    /// A JSON settings file read after <paramref name="settings"/> and reloaded when it changes, as appsettings.json
    /// is; given one, the gateway has no default test signing keys (the file configures <c>Signing</c>).
    /// </param>
    /// <param name="services">Registrations applied after the gateway's own, as an application embedding it would add them.</param>
    public static async Task<GatewayInstance> StartAsync(
        string yarpJson, IDictionary<string, string?>? settings = null, string? proxyConfigFile = null, LogCapture? logs = null,
        string? configurationFile = null, Action<IServiceCollection>? services = null)
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
            // Tests run Production against the sandbox on plain-http loopback.
            ["WeChat:TestDeployment"] = "true",
            ["Storage:Relational:Provider"] = "MySql",
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration,
            ["Storage:Ephemeral:KeyPrefix"] = TestServers.NewKeyPrefix(),
            // Disposing a test's gateway need not wait for a load balancer; the drain has tests of its own.
            ["Gateway:Shutdown:DrainSeconds"] = "0",
        };
        if (configurationFile is null)
        {
            all["Signing:Hs256:ActiveKeyId"] = TestKeys.ActiveHs256Id;
            all[$"Signing:Hs256:Keys:{TestKeys.ActiveHs256Id}:Secret"] = TestKeys.ActiveHs256Secret;
            all["Signing:Es256:ActiveKeyId"] = TestKeys.Es256Id;
            all[$"Signing:Es256:Keys:{TestKeys.Es256Id}:PrivateKeyPem"] = TestKeys.Es256PrivateKeyPem;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        // A database of its own unless the test shares one (a peer instance, a SQLite file): dropped on dispose.
        string? ownedDatabase = null;
        if (!all.ContainsKey("Storage:Relational:ConnectionString"))
        {
            all["Storage:Relational:ConnectionString"] = ownedDatabase = await TestServers.CreateMySqlDatabaseAsync();
        }

        var factory = new GatewayFactory(proxyConfigFile ?? yarpPath, all, logs, configurationFile, services);
        try
        {
            factory.UseKestrel();
            factory.StartServer();
        }
        catch
        {
            // The start-up failure is what the caller asserts on: a failure while tearing down the half-started
            // host (seen under heavy load as ObjectDisposedException) must not replace it.
            try
            {
                factory.Dispose();
            }
            catch (ObjectDisposedException)
            {
            }

            directory.Delete(recursive: true);
            if (ownedDatabase is not null)
            {
                await TestServers.DropMySqlDatabaseAsync(ownedDatabase);
            }

            throw;
        }

        return new GatewayInstance(factory, yarpPath, publicUrl, managementUrl, ownedDatabase);
    }

    /// <summary>Builds the gateway with the given settings and returns the start-up failure, if any.</summary>
    public static Exception? TryStart(string yarpJson, IDictionary<string, string?>? settings = null, string? proxyConfigFile = null)
    {
        // Under heavy load the in-process test host sometimes reports a failed start as ObjectDisposedException
        // (its own teardown racing the start) instead of the start-up error: that is the harness, not the gateway,
        // so such an attempt is repeated (a bounded number of times) to see the real outcome.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                StartAsync(yarpJson, settings, proxyConfigFile).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
                return null;
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
            }
            catch (Exception e)
            {
                return e;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Management.Dispose();
        // Disposing the host disposes its MySqlDataSource, which closes the pooled connections on the shared server.
        await _factory.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(YarpPath)!, recursive: true);
        if (_ownedDatabase is not null)
        {
            await TestServers.DropMySqlDatabaseAsync(_ownedDatabase);
        }
    }

    private sealed class GatewayFactory(
        string yarpPath, IDictionary<string, string?> settings, LogCapture? logs, string? configurationFile, Action<IServiceCollection>? services)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Functional tests run the production configuration (MySQL, Redis, no sandbox) unless a test says otherwise.
            builder.UseEnvironment("Production");

            // Read by Program.cs before the app configuration below is applied, so it goes in as a host setting.
            builder.UseSetting("Gateway:Proxy:ConfigFile", yarpPath);
            // So is the Telemetry section: the OpenTelemetry providers (an OTLP exporter or none) are built from it.
            foreach (var (key, value) in settings.Where(pair => pair.Key.StartsWith("Telemetry:", StringComparison.OrdinalIgnoreCase)))
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(configuration =>
            {
                configuration.AddInMemoryCollection(settings);
                if (configurationFile is not null)
                {
                    configuration.AddJsonFile(configurationFile, optional: false, reloadOnChange: true);
                }
            });
            if (services is not null)
            {
                builder.ConfigureServices(services);
            }

            builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                    logging.AddFilter<LogCapture>(null, LogLevel.Trace);
                }
            });
        }
    }
}
