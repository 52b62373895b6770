using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;
using MySqlConnector;

namespace Gateway.Tests.Hosting;

/// <summary>
/// With <c>Storage:Relational:MigrateOnStart=false</c> the running gateway needs only SELECT, INSERT, UPDATE and
/// DELETE (docs/production.md, "Database privileges"): the schema owner runs <c>migrate</c> once.
/// </summary>
public sealed class LeastPrivilegeDatabaseTests
{
    [Fact]
    public async Task AUserWithOnlyDataPrivilegesSignsAPersonInEndToEnd()
    {
        await using var database = await LeastPrivilegeDatabase.CreateAsync(migrated: true);
        await using var bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Relational:ConnectionString"] = database.RestrictedConnectionString,
            ["Storage:Relational:MigrateOnStart"] = "false",
        });
        var user = bed.NewUser();

        var (response, body) = await bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
        var (session, _) = await bed.GetAsync("/auth/session", body.GetProperty("token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Equal(1L, await database.CountAsync("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public async Task MigrateOnStartWithSuchAUserFailsNamingTheMissingPrivilege()
    {
        await using var database = await LeastPrivilegeDatabase.CreateAsync(migrated: false);

        var failure = GatewayInstance.TryStart(
            YarpJson.Build(new Uri("http://127.0.0.1:9/"), new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?> { ["Storage:Relational:ConnectionString"] = database.RestrictedConnectionString });

        Assert.NotNull(failure);
        Assert.Contains("CREATE command denied", Forwarding.RoutePolicyValidationTests.AllMessages(failure));
    }

    [Fact]
    public async Task WithoutMigrateOnStartAnOutdatedSchemaFailsSayingToRunMigrate()
    {
        await using var database = await LeastPrivilegeDatabase.CreateAsync(migrated: false);

        var failure = GatewayInstance.TryStart(
            YarpJson.Build(new Uri("http://127.0.0.1:9/"), new TestRoute("api", "/api/{**rest}")),
            new Dictionary<string, string?>
            {
                ["Storage:Relational:ConnectionString"] = database.RestrictedConnectionString,
                ["Storage:Relational:MigrateOnStart"] = "false",
            });

        Assert.NotNull(failure);
        var message = Forwarding.RoutePolicyValidationTests.AllMessages(failure);
        Assert.Contains("Storage:Relational:MigrateOnStart is false", message);
        Assert.Contains("run 'Gateway migrate'", message);
    }

    /// <summary>A database migrated (or not) by its owner, and a user of its own with only the data privileges on it.</summary>
    private sealed class LeastPrivilegeDatabase(string ownerConnectionString, string user, string restrictedConnectionString) : IAsyncDisposable
    {
        public string RestrictedConnectionString { get; } = restrictedConnectionString;

        public static async Task<LeastPrivilegeDatabase> CreateAsync(bool migrated)
        {
            var owner = await TestServers.CreateMySqlDatabaseAsync();
            if (migrated)
            {
                var yarp = GatewayProcessSettings.WriteYarp(new TestRoute("api", "/api/{**rest}"));
                var (exitCode, output) = await GatewayCommandLine.RunAsync(["migrate"], GatewayProcessSettings.Valid(owner, yarp, FreePort.Next(), FreePort.Next()));
                Assert.True(exitCode == 0, output);
            }

            var database = new MySqlConnectionStringBuilder(owner).Database;
            var user = "gwapp_" + Guid.NewGuid().ToString("N")[..12];
            var password = Guid.NewGuid().ToString("N");
            await ExecuteAsync(
                $"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'",
                $"GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO '{user}'@'%'");
            var restricted = new MySqlConnectionStringBuilder(owner) { UserID = user, Password = password }.ConnectionString;
            return new LeastPrivilegeDatabase(owner, user, restricted);
        }

        public async Task<long> CountAsync(string sql)
        {
            await using var connection = new MySqlConnection(ownerConnectionString);
            await connection.OpenAsync();
            await using var command = new MySqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await ExecuteAsync($"DROP USER IF EXISTS '{user}'@'%'");
            await TestServers.DropMySqlDatabaseAsync(ownerConnectionString);
        }

        private static async Task ExecuteAsync(params string[] statements)
        {
            await using var connection = new MySqlConnection(TestServers.MySqlAdminConnectionString);
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new MySqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
