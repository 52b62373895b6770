using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>Readiness: unhealthy while the store cannot answer a ping within its operation timeout.</summary>
internal sealed class EphemeralStoreHealthCheck(IEphemeralStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (EphemeralStoreUnavailableException)
        {
            // No exception: the health check service would log its stack on every poll; the store logs the outage once.
            return new HealthCheckResult(context.Registration.FailureStatus, "The ephemeral store is unreachable.");
        }
    }
}
