using Gateway.Auth.Storage.Relational;
using Gateway.Auth.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Microsoft.Extensions.DependencyInjection;

public static class RelationalStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRelationalStore"/> for the provider named in <c>Storage:Relational</c>, validated at
    /// start-up, and a hosted service that migrates the schema before the gateway serves.
    /// </summary>
    public static IServiceCollection AddRelationalStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RelationalStoreOptions>()
            .Bind(configuration.GetSection(RelationalStoreOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelationalStoreOptions>, RelationalStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddGatewayMetrics();
        // The container owns the data source: disposing the host closes the pool and its idle connections.
        services.TryAddSingleton(provider => RelationalConnections.CreateMySqlDataSource(
            provider.GetRequiredService<IOptions<RelationalStoreOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IRelationalStore>(provider => RelationalStoreFactory.Create(
            provider.GetRequiredService<IOptions<RelationalStoreOptions>>().Value,
            provider.GetRequiredService<MySqlDataSource>,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>(),
            provider.GetRequiredService<GatewayMetrics>()));
        services.AddHostedService<RelationalStoreMigrator>();
        return services;
    }
}
