namespace Microsoft.Extensions.DependencyInjection;

public static class HealthServiceCollectionExtensions
{
    /// <summary>The checks <c>/readyz</c> runs.</summary>
    internal const string ReadinessTag = "ready";

    /// <summary>Readiness checks of the database and the ephemeral store, for <c>MapGatewayHealth</c>.</summary>
    public static IServiceCollection AddGatewayHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddRelationalStoreCheck("database", ReadinessTag)
            .AddEphemeralStoreCheck("ephemeralStore", ReadinessTag);
        return services;
    }
}
