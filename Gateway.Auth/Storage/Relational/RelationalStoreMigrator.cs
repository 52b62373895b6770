using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Relational;

/// <summary>Brings the schema up to date before the host starts serving; a failure stops start-up.</summary>
internal sealed class RelationalStoreMigrator(IRelationalStore store, ILogger<RelationalStoreMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            RelationalStoreLog.MigrationFailed(logger, exception);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
