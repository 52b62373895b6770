using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Gateway.Auth.Storage.Ephemeral;
using Gateway.Auth.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

public static class EphemeralStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEphemeralStore"/> as a singleton, chosen by <c>Storage:Ephemeral:Provider</c>
    /// (Memory by default, Redis in production), with its options validated at start-up.
    /// </summary>
    public static IServiceCollection AddEphemeralStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<EphemeralStoreOptions>()
            .Bind(configuration.GetSection(EphemeralStoreOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EphemeralStoreOptions>, EphemeralStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddGatewayMetrics();
        services.TryAddSingleton<EphemeralStoreRoundTrips>();
        services.TryAddSingleton<IEphemeralStore>(CreateStore);
        return services;
    }

    private static IEphemeralStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<EphemeralStoreOptions>>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        return options.Value.Provider switch
        {
            EphemeralStoreProvider.Redis => new RedisEphemeralStore(
                options, timeProvider, loggers.CreateLogger<RedisEphemeralStore>(), services.GetRequiredService<EphemeralStoreRoundTrips>(),
                services.GetRequiredService<GatewayMetrics>()),
            _ => new MemoryEphemeralStore(timeProvider, loggers.CreateLogger<MemoryEphemeralStore>()),
        };
    }
}
