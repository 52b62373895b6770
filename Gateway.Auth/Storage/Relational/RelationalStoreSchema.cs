using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Storage.Relational;

/// <summary>The schema operations the command line runs (<c>Gateway migrate</c>).</summary>
public static class RelationalStoreSchema
{
    /// <summary>Applies the scripts not yet applied; returns how many were pending before.</summary>
    public static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IRelationalStore>();
        var pending = await store.PendingMigrationsAsync(cancellationToken);
        await store.MigrateAsync(cancellationToken);
        return pending.Count;
    }
}
