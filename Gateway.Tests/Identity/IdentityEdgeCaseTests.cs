using Dapper;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Gateway.Tests.Relational;

namespace Gateway.Tests.Identity;

/// <summary>Less common paths through resolution, on both engines.</summary>
public abstract class IdentityEdgeCaseTests : IdentityHostTests
{
    [Fact]
    public async Task APhoneNumberIsRecordedOnThePersonAndAMergedPersonsGoesToTheSurvivor()
    {
        var openIdOnly = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-phone"), null, LoginChannel.MiniProgram));
        var holder = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxwebsite"), new OpenId("web-phone"), new UnionId("union-phone"), LoginChannel.Website));
        await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-phone"), new UnionId("union-phone"), LoginChannel.MiniProgram));

        var updated = await Host.Directory.SetPhoneAsync(openIdOnly.PersonId.Value, "+8613800138000");

        Assert.Equal(holder.PersonId.Value, updated!.Id);
        Assert.Equal("+8613800138000", (await Host.Directory.FindByIdAsync(holder.PersonId.Value))!.Phone);
        Assert.Null(await Host.Directory.SetPhoneAsync(987654321, "13800138000"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("138-0013-8000")]
    [InlineData("13800138000'; DROP TABLE persons; --")]
    [InlineData("123456789012345678901234567890123")]
    public async Task AMalformedPhoneNumberIsRefusedAndNothingIsStored(string phone)
    {
        var person = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-badphone"), new UnionId("union-badphone"), LoginChannel.MiniProgram));

        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() => Host.Directory.SetPhoneAsync(person.PersonId.Value, phone));

        Assert.Equal(IdentityErrorCodes.InvalidIdentity, refused.Code);
        Assert.Null((await Host.Directory.FindByIdAsync(person.PersonId.Value))!.Phone);
    }

    [Fact]
    public async Task ALaterLoginWithoutUnionIdStillReportsTheUnionIdAlreadyKnown()
    {
        // snsapi_base logins of an Official Account usually carry no unionid even when the person has one.
        var first = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-base"), new UnionId("union-known"), LoginChannel.OfficialAccount));

        var later = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-base"), null, LoginChannel.OfficialAccount));

        Assert.Equal(first.PersonId, later.PersonId);
        Assert.Equal("union-known", later.UnionId?.Value);
    }

    [Fact]
    public async Task AnOpenIdBoundToADifferentUnionIdIsRefusedAsAConflict()
    {
        await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-bound"), new UnionId("union-one"), LoginChannel.MiniProgram));

        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-bound"), new UnionId("union-two"), LoginChannel.MiniProgram)));

        Assert.Equal(IdentityErrorCodes.IdentityConflict, refused.Code);
        Assert.Null(await Host.Directory.FindByUnionIdAsync("union-two"));
    }

    [Fact]
    public async Task MergingADisabledOpenIdOnlyPersonLeavesTheSurvivorDisabled()
    {
        var openIdOnly = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-banned"), null, LoginChannel.MiniProgram));
        await Host.Directory.SetDisabledAsync(openIdOnly.PersonId.Value, disabled: true);
        var holder = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxwebsite"), new OpenId("web-banned"), new UnionId("union-banned"), LoginChannel.Website));

        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-banned"), new UnionId("union-banned"), LoginChannel.MiniProgram)));

        Assert.Equal(IdentityErrorCodes.PersonDisabled, refused.Code);
        var survivor = (await Host.Directory.FindByIdAsync(openIdOnly.PersonId.Value))!;
        Assert.Equal(holder.PersonId.Value, survivor.Id);
        Assert.True(survivor.Disabled);
        Assert.Equal(2, survivor.AppIdentities.Count);
        Assert.Equal(1, await Host.CountAsync("person_merges"));
    }

    [Fact]
    public async Task TheSurvivorKeepsItsOwnProfileAndTakesOnlyWhatItLacks()
    {
        await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-p"), null, LoginChannel.MiniProgram, Profile: new LoginProfile("旧昵称", "https://a.test/old.png")));
        var holder = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxwebsite"), new OpenId("web-p"), new UnionId("union-p"), LoginChannel.Website, Profile: new LoginProfile("新昵称", null)));

        await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-p"), new UnionId("union-p"), LoginChannel.MiniProgram));

        var survivor = (await Host.Directory.FindByIdAsync(holder.PersonId.Value))!;
        Assert.Equal("新昵称", survivor.Nickname);
        Assert.Equal("https://a.test/old.png", survivor.AvatarUrl);
    }

    [Fact]
    public async Task FiftyParallelLoginsMergingOneOpenIdOnlyPersonRecordOneMerge()
    {
        var openIdOnly = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-race"), null, LoginChannel.MiniProgram));
        var holder = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxwebsite"), new OpenId("web-race"), new UnionId("union-race"), LoginChannel.Website));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-race"), new UnionId("union-race"), LoginChannel.MiniProgram)))));

        Assert.All(results, r => Assert.Equal(holder.PersonId, r.PersonId));
        Assert.Equal(1, await Host.CountAsync("person_merges"));
        var merged = await Host.Store.ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT merged_into FROM persons WHERE id = @id", new { id = openIdOnly.PersonId.Value }, cancellationToken: ct)));
        Assert.Equal(holder.PersonId.Value, merged);
    }

    [Fact]
    public async Task TheReturningPersonLookupsUseTheUniqueIndexes()
    {
        for (var i = 0; i < 20; i++)
        {
            await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId($"mini-plan-{i}"), new UnionId($"union-plan-{i}"), LoginChannel.MiniProgram));
        }

        var byOpenId = await PlanAsync(IdentitySql.FindIdentity, new { AppId = "wxmini", OpenId = "mini-plan-7" });
        var byUnionId = await PlanAsync(IdentitySql.FindByUnionId, new { UnionId = "union-plan-7" });

        Assert.Contains("ux_app_identities_app_open", byOpenId);
        Assert.Contains("ux_persons_union_id", byUnionId);
    }


    private Task<string> PlanAsync(string sql, object parameters) =>
        Host.Store.ExecuteAsync(async (c, ct) =>
        {
            var explain = Host.Store.Dialect == SqlDialect.MySql ? "EXPLAIN " : "EXPLAIN QUERY PLAN ";
            var rows = await c.QueryAsync(new CommandDefinition(explain + sql, parameters, cancellationToken: ct));
            return string.Join(" | ", rows.Select(row => string.Join(",", ((IDictionary<string, object?>)row).Values)));
        });
}

public sealed class MariaDbIdentityEdgeCaseTests : IdentityEdgeCaseTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await MariaDbTestDatabase.CreateAsync();
}

public sealed class SqliteIdentityEdgeCaseTests : IdentityEdgeCaseTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
