using Gateway.Tests.Relational;

namespace Gateway.Tests.Identity;

/// <summary>
/// A test class run once per engine: each subclass names its database (MariaDB or SQLite) and gets a fresh
/// identity host on it.
/// </summary>
public abstract class IdentityHostTests : IAsyncLifetime
{
    private IdentityTestHost? _host;

    protected IdentityTestHost Host => _host ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => _host = await IdentityTestHost.StartAsync(await CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    protected abstract Task<TestDatabase> CreateDatabaseAsync();
}
