using Dapper;
using Gateway.Auth.Identity;
using Gateway.Tests.Relational;

namespace Gateway.Tests.Identity;

/// <summary>Resolution reading an existing user table (Identity:Legacy), on both engines.</summary>
public abstract class LegacyAdoptionTests
{
    [Fact]
    public async Task TheLegacyUserIdIsFoundByUnionIdThenByOpenId()
    {
        await using var host = await StartAsync(ownConnectionString: false);

        var byUnion = await host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-legacy"), new UnionId("union-legacy"), LoginChannel.OfficialAccount));
        var byOpenId = await host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-legacy"), null, LoginChannel.MiniProgram));
        var unknown = await host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("never-seen"), new UnionId("union-new"), LoginChannel.MiniProgram));

        Assert.Equal("1001", byUnion.LegacyUserId);
        Assert.Equal("2002", byOpenId.LegacyUserId);
        Assert.Null(unknown.LegacyUserId);
    }

    [Fact]
    public async Task TheLegacyTableIsReadOnEveryLoginThroughItsOwnConnection()
    {
        await using var host = await StartAsync(ownConnectionString: true);
        var login = new LoginIdentity(new AppId("wxmini"), new OpenId("mini-legacy"), null, LoginChannel.MiniProgram);
        Assert.Equal("2002", (await host.Resolver.ResolveAsync(login)).LegacyUserId);

        await host.Store.ExecuteAsync((c, ct) => c.ExecuteAsync(new CommandDefinition("UPDATE legacy_users SET user_id = 2003 WHERE user_id = 2002", cancellationToken: ct)));

        Assert.Equal("2003", (await host.Resolver.ResolveAsync(login)).LegacyUserId);
    }

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<IdentityTestHost> StartAsync(bool ownConnectionString)
    {
        var database = await CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Identity:Legacy:Enabled"] = "true",
            ["Identity:Legacy:FindByUnionIdSql"] = "SELECT user_id FROM legacy_users WHERE wx_unionid = @unionId",
            ["Identity:Legacy:FindByOpenIdSql"] = "SELECT user_id FROM legacy_users WHERE wx_appid = @appId AND wx_openid = @openId",
        };
        if (ownConnectionString)
        {
            settings["Identity:Legacy:ConnectionString"] = database.ConnectionString;
        }

        return await IdentityTestHost.StartAsync(database, settings, async db =>
        {
            using var store = db.CreateStore();
            await store.ExecuteAsync((c, ct) => c.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE legacy_users (user_id INTEGER NOT NULL, wx_unionid VARCHAR(128) NULL, wx_appid VARCHAR(64) NULL, wx_openid VARCHAR(128) NULL);
                INSERT INTO legacy_users VALUES (1001, 'union-legacy', NULL, NULL), (2002, NULL, 'wxmini', 'mini-legacy');
                """,
                cancellationToken: ct)));
        });
    }
}

public sealed class MariaDbLegacyAdoptionTests : LegacyAdoptionTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await MariaDbTestDatabase.CreateAsync();
}

public sealed class SqliteLegacyAdoptionTests : LegacyAdoptionTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
