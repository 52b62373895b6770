using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Auth.Storage.Relational;

/// <summary>Readiness: unhealthy while the database cannot answer a ping in time.</summary>
internal sealed class RelationalStoreHealthCheck(IRelationalStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (RelationalStoreUnavailableException)
        {
            // The description reaches the public /readyz: it names the dependency, never connection details.
            // No exception: the health check service would log its stack on every poll; the store logs the outage once.
            return new HealthCheckResult(context.Registration.FailureStatus, "The database is unreachable.");
        }
    }
}
