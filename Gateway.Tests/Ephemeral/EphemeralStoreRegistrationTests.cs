using Gateway.Auth.Storage.Ephemeral;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Ephemeral;

public sealed class EphemeralStoreRegistrationTests
{
    [Fact]
    public async Task MemoryIsTheDefaultProvider()
    {
        await using var services = BuildServices([]);

        Assert.IsType<MemoryEphemeralStore>(services.GetRequiredService<IEphemeralStore>());
        Assert.Equal("gw:", services.GetRequiredService<IOptions<EphemeralStoreOptions>>().Value.KeyPrefix);
    }

    [Fact]
    public async Task RedisProviderGivesOneSharedRedisStoreUsingTheConfiguredPrefix()
    {
        var prefix = TestServers.NewKeyPrefix();
        await using var services = BuildServices(new()
        {
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = TestServers.RedisConfiguration,
            ["Storage:Ephemeral:KeyPrefix"] = prefix + "app:",
            ["Storage:Ephemeral:OperationTimeout"] = "00:00:03",
        });
        var store = services.GetRequiredService<IEphemeralStore>();
        await store.SetAsync("k", "v", TimeSpan.FromMinutes(1));

        Assert.IsType<RedisEphemeralStore>(store);
        Assert.Same(store, services.GetRequiredService<IEphemeralStore>());
        Assert.Equal(TimeSpan.FromSeconds(3), services.GetRequiredService<IOptions<EphemeralStoreOptions>>().Value.OperationTimeout);
        await using var enclosing = new RedisEphemeralStore(
            Options.Create(new EphemeralStoreOptions { Redis = TestServers.RedisConfiguration, KeyPrefix = prefix }),
            TimeProvider.System,
            NullLogger<RedisEphemeralStore>.Instance);
        Assert.Equal("v", await enclosing.GetAsync("app:k"));
    }

    [Fact]
    public void RedisProviderWithoutConnectionStringIsRejectedNamingTheSetting()
    {
        var failure = ValidationFailure(new() { ["Storage:Ephemeral:Provider"] = "Redis" });

        Assert.Contains("Storage:Ephemeral:Redis is required when Storage:Ephemeral:Provider is Redis", failure);
    }

    [Fact]
    public void UnparsableRedisConfigurationIsRejectedWithoutEchoingIt()
    {
        var failure = ValidationFailure(new()
        {
            ["Storage:Ephemeral:Provider"] = "Redis",
            ["Storage:Ephemeral:Redis"] = "127.0.0.1:6379,password=hunter2,notAnOption=1",
        });

        Assert.Contains("Storage:Ephemeral:Redis is not a valid StackExchange.Redis configuration string", failure);
        Assert.DoesNotContain("hunter2", failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("gw :")]
    [InlineData("gw:\t")]
    public void KeyPrefixThatIsEmptyOrHasWhitespaceIsRejected(string prefix)
    {
        var failure = ValidationFailure(new() { ["Storage:Ephemeral:KeyPrefix"] = prefix });

        Assert.Contains("Storage:Ephemeral:KeyPrefix must be non-empty and contain no whitespace", failure);
    }

    [Theory]
    [InlineData("OperationTimeout", "00:00:00")]
    [InlineData("ConnectTimeout", "-00:00:01")]
    public void NonPositiveTimeoutIsRejectedNamingTheSetting(string setting, string value)
    {
        var failure = ValidationFailure(new() { ["Storage:Ephemeral:" + setting] = value });

        Assert.Contains($"Storage:Ephemeral:{setting} must be positive", failure);
    }

    [Fact]
    public async Task InvalidOptionsStopTheHostAtStartUp()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Ephemeral:Provider"] = "Redis" });
        builder.Services.AddEphemeralStore(builder.Configuration);
        using var host = builder.Build();

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:Ephemeral:Redis is required", exception.Message);
    }

    [Fact]
    public async Task HealthCheckReportsHealthyForAReachableStore()
    {
        var services = new ServiceCollection().AddLogging().AddEphemeralStore(Configuration([]));
        services.AddHealthChecks().AddEphemeralStoreCheck(tags: "ready");
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains(EphemeralStoreHealthChecksBuilderExtensions.DefaultName, report.Entries.Keys);
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddEphemeralStore(Configuration(settings)).BuildServiceProvider();

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static string ValidationFailure(Dictionary<string, string?> settings)
    {
        using var services = BuildServices(settings);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EphemeralStoreOptions>>().Value).Message;
    }
}
