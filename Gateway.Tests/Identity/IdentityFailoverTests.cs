using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Relational;
using MySqlConnector;

namespace Gateway.Tests.Identity;

/// <summary>
/// MySQL failover as docs/high-availability.md configures it (<c>Server=primary,standby;LoadBalance=FailOver</c>), on
/// real MariaDB: the primary host dies the moment the server commits a new person, so the gateway never hears the
/// commit and its login fails; the client's retry reaches the standby and must find that person, not make a second.
/// The two hosts are two loopback addresses relaying to one MariaDB database: a standby that had the commit, as with
/// semi-synchronous replication. (After an asynchronous failover that lost the commit, the retry simply creates the
/// person once.)
/// </summary>
public sealed class IdentityFailoverTests : IAsyncLifetime
{
    private static readonly IPAddress StandbyAddress = IPAddress.Parse("127.0.0.2");

    private MariaDbTestDatabase _database = null!;
    private TcpRelay _primary = null!;
    private TcpRelay _standby = null!;
    private IdentityTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _database = await MariaDbTestDatabase.CreateAsync();
        var server = new MySqlConnectionStringBuilder(_database.ConnectionString);
        var target = new IPEndPoint(IPAddress.Loopback, (int)server.Port);
        (_primary, _standby) = StartRelaysOnOnePort(target);
        var failover = new MySqlConnectionStringBuilder(_database.ConnectionString)
        {
            Server = $"127.0.0.1,{StandbyAddress}",
            Port = (uint)_primary.Port,
            LoadBalance = MySqlLoadBalance.FailOver,
            ConnectionTimeout = 2,
        };
        _host = await IdentityTestHost.StartAsync(new Relayed(_database, failover.ConnectionString));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _primary.DisposeAsync();
        await _standby.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ALoginRetriedAfterThePrimaryDiedOnItsCommitFindsThePersonItCreatedNotASecond(bool withUnionId)
    {
        var login = new LoginIdentity(
            new AppId("wxfailover"), new OpenId("o" + Guid.NewGuid().ToString("N")[..20]), withUnionId ? new UnionId("u" + Guid.NewGuid().ToString("N")[..20]) : null, LoginChannel.MiniProgram);
        _primary.DieAfterClientSends(chunk => IsCommit(chunk.Span));

        await Assert.ThrowsAsync<RelationalStoreUnavailableException>(() => _host.Resolver.ResolveAsync(login));
        Assert.True(_primary.IsDead);
        Assert.Equal((1, 1), (await CountAsync("persons"), await CountAsync("app_identities")));

        var retried = await _host.Resolver.ResolveAsync(login);

        Assert.Equal((1, 1), (await CountAsync("persons"), await CountAsync("app_identities")));
        Assert.Equal(await ScalarAsync("SELECT id FROM persons"), retried.PersonId.Value);
    }

    /// <summary>A COM_QUERY packet (4-byte header, command 0x03) whose statement is COMMIT: how MySqlConnector commits.</summary>
    private static bool IsCommit(ReadOnlySpan<byte> chunk) =>
        chunk.Length > 5 && chunk[4] == 0x03 && Encoding.ASCII.GetString(chunk[5..]).Trim().TrimEnd(';').Equals("commit", StringComparison.OrdinalIgnoreCase);

    /// <summary>The primary on 127.0.0.1 and the standby on 127.0.0.2, on one port, as a connection string's hosts share one.</summary>
    private static (TcpRelay Primary, TcpRelay Standby) StartRelaysOnOnePort(IPEndPoint target)
    {
        for (var attempt = 0; ; attempt++)
        {
            var primary = new TcpRelay(new IPEndPoint(IPAddress.Loopback, 0), target);
            try
            {
                return (primary, new TcpRelay(new IPEndPoint(StandbyAddress, primary.Port), target));
            }
            catch (SocketException) when (attempt < 10)
            {
                primary.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private async Task<long> CountAsync(string table) => await ScalarAsync($"SELECT COUNT(*) FROM {table}");

    /// <summary>Asked of the database directly, past both relays.</summary>
    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The test database reached through the relays; dropping it drops the real one.</summary>
    private sealed class Relayed(MariaDbTestDatabase database, string connectionString) : TestDatabase
    {
        public override string Provider => database.Provider;

        public override string ConnectionString => connectionString;

        public override RelationalStoreOptions UnreachableOptions() => database.UnreachableOptions();

        protected override ValueTask DropAsync() => database.DisposeAsync();
    }
}
