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
        catch (RelationalStoreUnavailableException exception)
        {
            // The description reaches the public /readyz: it names the dependency, never connection details.
            return new HealthCheckResult(context.Registration.FailureStatus, "The database is unreachable.", exception);
        }
    }
}
