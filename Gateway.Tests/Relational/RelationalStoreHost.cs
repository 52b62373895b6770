using System.Globalization;
using Gateway.Auth.Storage.Relational;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Relational;

/// <summary>
/// A relational store registered exactly as the gateway registers it (AddRelationalStore), in a container of its
/// own: the container owns the MySQL data source, and disposing it closes that pool.
/// </summary>
internal sealed class RelationalStoreHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private RelationalStoreHost(ServiceProvider services)
    {
        _services = services;
        Store = (RelationalStore)services.GetRequiredService<IRelationalStore>();
    }

    public RelationalStore Store { get; }

    public static RelationalStoreHost Create(RelationalStoreOptions options, TimeProvider? time = null, ILoggerProvider? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(options)).Build();
        var services = new ServiceCollection().AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
            }
        });
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return new RelationalStoreHost(services.AddRelationalStore(configuration).BuildServiceProvider());
    }

    /// <summary>The options as the configuration keys an operator would write.</summary>
    public static Dictionary<string, string?> Settings(RelationalStoreOptions options)
    {
        const string section = RelationalStoreOptions.SectionName;
        return new Dictionary<string, string?>
        {
            [$"{section}:Provider"] = options.Provider,
            [$"{section}:ConnectionString"] = options.ConnectionString,
            [$"{section}:MaxConcurrency"] = Invariant(options.MaxConcurrency),
            [$"{section}:QueueTimeoutSeconds"] = Invariant(options.QueueTimeoutSeconds),
            [$"{section}:CommandTimeoutSeconds"] = Invariant(options.CommandTimeoutSeconds),
            [$"{section}:ConnectTimeoutSeconds"] = Invariant(options.ConnectTimeoutSeconds),
        };
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
