using Dapper;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Gateway.Tests.Relational;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Identity;

/// <summary>The identity services as AddRelationalStore + AddIdentity register them, on a fresh migrated database.</summary>
public sealed class IdentityTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private IdentityTestHost(TestDatabase database, ServiceProvider services, FakeTimeProvider clock)
    {
        Database = database;
        _services = services;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Clock { get; }

    public RecordingDisabledListener DisabledListener => _services.GetRequiredService<RecordingDisabledListener>();

    public IIdentityResolver Resolver => _services.GetRequiredService<IIdentityResolver>();

    public IPersonDirectory Directory => _services.GetRequiredService<IPersonDirectory>();

    internal IRelationalStore Store => _services.GetRequiredService<IRelationalStore>();

    internal IdentityStatementCounter Counter => _services.GetRequiredService<IdentityStatementCounter>();

    public static async Task<IdentityTestHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, Func<TestDatabase, Task>? prepare = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Relational:Provider"] = database.Provider,
                ["Storage:Relational:ConnectionString"] = database.ConnectionString,
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<RecordingDisabledListener>()
            .AddSingleton<IPersonDisabledListener>(sp => sp.GetRequiredService<RecordingDisabledListener>())
            .AddRelationalStore(configuration)
            .AddGatewayIdentity(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var host = new IdentityTestHost(database, services, clock);
        await host.Store.MigrateAsync();
        if (prepare is not null)
        {
            await prepare(database);
        }

        return host;
    }

    public Task<long> CountAsync(string table) =>
        Store.ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}", cancellationToken: ct)));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class RecordingDisabledListener : IPersonDisabledListener
{
    private readonly List<PersonView> _disabled = [];

    public IReadOnlyList<PersonView> Disabled
    {
        get
        {
            lock (_disabled)
            {
                return _disabled.ToList();
            }
        }
    }

    /// <summary>Makes the listener fail, as a sessions store that cannot be reached would.</summary>
    public bool Fail { get; set; }

    public Task OnPersonDisabledAsync(PersonView person, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("The listener could not act on the disabled person.");
        }

        lock (_disabled)
        {
            _disabled.Add(person);
        }

        return Task.CompletedTask;
    }
}
