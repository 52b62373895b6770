using Gateway.Auth.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ShutdownDrainServiceCollectionExtensions
{
    /// <summary>
    /// The drain on shutdown (<c>Gateway:Shutdown:DrainSeconds</c>) and its <c>shutdown</c> readiness check; the
    /// host's shutdown timeout is extended by the drain so in-flight requests still get their usual time after it.
    /// </summary>
    public static IServiceCollection AddGatewayShutdownDrain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<ShutdownDrain>());
        // Read from the raw setting: the host builds HostOptions before start-up validation reports a bad value.
        services.Configure<HostOptions>(host =>
        {
            var drain = int.TryParse(configuration[$"{ShutdownOptions.SectionName}:{nameof(ShutdownOptions.DrainSeconds)}"], out var seconds) ? seconds : new ShutdownOptions().DrainSeconds;
            host.ShutdownTimeout += TimeSpan.FromSeconds(Math.Clamp(drain, 0, ShutdownOptionsValidator.MaximumDrainSeconds));
        });
        services.AddHealthChecks().AddCheck<ShutdownDrain>("shutdown", tags: [HealthServiceCollectionExtensions.ReadinessTag]);
        return services;
    }
}
