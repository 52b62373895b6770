using Gateway.Auth.Storage.Relational;

namespace Microsoft.Extensions.DependencyInjection;

public static class RelationalStoreHealthChecksBuilderExtensions
{
    /// <summary>Adds a check that pings <see cref="IRelationalStore"/>; tag it (e.g. "ready") to put it behind /readyz.</summary>
    public static IHealthChecksBuilder AddRelationalStoreCheck(this IHealthChecksBuilder builder, string name, params string[] tags) =>
        builder.AddCheck<RelationalStoreHealthCheck>(name, failureStatus: null, tags);
}
