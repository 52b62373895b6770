using Gateway.Auth.Storage.Ephemeral;

namespace Microsoft.Extensions.DependencyInjection;

public static class EphemeralStoreHealthChecksBuilderExtensions
{
    public const string DefaultName = "ephemeral-store";

    /// <summary>Adds a check that pings <see cref="IEphemeralStore"/>; tag it (e.g. "ready") to put it behind /readyz.</summary>
    public static IHealthChecksBuilder AddEphemeralStoreCheck(this IHealthChecksBuilder builder, string name = DefaultName, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<EphemeralStoreHealthCheck>(name, failureStatus: null, tags);
    }
}
