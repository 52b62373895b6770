using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Auth.Signing;

/// <summary>
/// Degraded, in <c>/readyz</c>, while the last change of the signing keys was refused: the gateway still signs
/// with the keys it had, so it stays ready, but the operator's rotation did not happen.
/// </summary>
internal sealed class SigningKeysHealthCheck(SigningKeys keys) : IHealthCheck
{
    public const string Name = "signingKeys";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = keys.Status;
        return Task.FromResult(status.RejectedAt is not { } rejectedAt
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                $"A change of the signing keys was refused at {rejectedAt:O}; assertions are still signed with the keys loaded at {status.LoadedAt:O}. {string.Join(" ", status.Errors)}")));
    }
}
