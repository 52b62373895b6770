using Gateway.Auth.Storage.Relational;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Auth.Health;

// The results name the failing dependency only: /readyz is public, so no connection detail may leak through it.

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
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
