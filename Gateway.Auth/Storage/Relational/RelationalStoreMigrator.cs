using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Storage.Relational;

/// <summary>
/// Before the host serves: brings the schema up to date (<c>Storage:Relational:MigrateOnStart</c>, the default), or
/// only checks that it is current; a failure stops start-up.
/// </summary>
internal sealed class RelationalStoreMigrator(IRelationalStore store, IOptions<RelationalStoreOptions> options, ILogger<RelationalStoreMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (options.Value.MigrateOnStart)
            {
                await store.MigrateAsync(cancellationToken);
                return;
            }

            var pending = await store.PendingMigrationsAsync(cancellationToken);
            if (pending.Count > 0)
            {
                throw new RelationalSchemaOutdatedException(
                    $"The {store.Dialect} schema lacks migration(s) {string.Join(", ", pending.Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))} and Storage:Relational:MigrateOnStart is false: run 'Gateway migrate' as the schema owner first.");
            }

            RelationalStoreLog.SchemaChecked(logger, store.Dialect);
        }
        catch (RelationalStoreUnavailableException)
        {
            // Already logged once, with its stack, where the connection failed.
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not RelationalSchemaOutdatedException)
        {
            RelationalStoreLog.MigrationFailed(logger, exception);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
