using Dapper;
using Gateway.Auth.Identity;
using Gateway.Tests.Relational;

namespace Gateway.Tests.Identity;

/// <summary>Identity resolution as the seeds describe it; each engine runs these tests unchanged.</summary>
public abstract class IdentityResolutionTests : IdentityHostTests
{
    [Fact]
    public async Task AFirstLoginCreatesANewPersonWithThatAppIdentity()
    {
        var resolved = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxapp0001"), new OpenId("openid-a"), new UnionId("union-1"), LoginChannel.MiniProgram));

        Assert.True(resolved.PersonId.Value > 0);
        Assert.Equal("union-1", resolved.UnionId?.Value);
        Assert.Equal(("wxapp0001", "openid-a", LoginChannel.MiniProgram), (resolved.AppId?.Value ?? "", resolved.OpenId?.Value ?? "", resolved.Channel));
        Assert.Null(resolved.LegacyUserId);
        var person = await Host.Directory.FindByIdAsync(resolved.PersonId.Value);
        Assert.NotNull(person);
        Assert.False(person.Disabled);
        Assert.Equal(Host.Clock.GetUtcNow(), person.CreatedAt);
        var identity = Assert.Single(person.AppIdentities);
        Assert.Equal(new AppIdentityView("wxapp0001", "openid-a", LoginChannel.MiniProgram, Host.Clock.GetUtcNow(), Host.Clock.GetUtcNow()), identity);
    }

    [Fact]
    public async Task AReturningPersonIsFoundByUnionIdFromAnAppNotSeenBefore()
    {
        var first = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-openid"), new UnionId("union-2"), LoginChannel.OfficialAccount));

        var second = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxwebsite"), new OpenId("web-openid"), new UnionId("union-2"), LoginChannel.Website));

        Assert.Equal(first.PersonId, second.PersonId);
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(2, (await Host.Directory.FindByUnionIdAsync("union-2"))!.AppIdentities.Count);
    }

    [Fact]
    public async Task AReturningPersonWithoutUnionIdIsFoundByAppAndOpenId()
    {
        var first = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-openid"), null, LoginChannel.MiniProgram));
        Host.Clock.Advance(TimeSpan.FromHours(1));

        var second = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-openid"), null, LoginChannel.MiniProgram));

        Assert.Equal(first.PersonId, second.PersonId);
        Assert.Null(second.UnionId);
        var identity = Assert.Single((await Host.Directory.FindByOpenIdAsync("wxmini", "mini-openid"))!.AppIdentities);
        Assert.Equal(Host.Clock.GetUtcNow(), identity.LastLoginAt);
        Assert.Equal(Host.Clock.GetUtcNow() - TimeSpan.FromHours(1), identity.CreatedAt);
    }

    [Fact]
    public async Task AnOpenIdIsNeverReportedAsTheUnionId()
    {
        var resolved = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("only-openid"), null, LoginChannel.MiniProgram));
        Assert.Null(resolved.UnionId);
        Assert.Null((await Host.Directory.FindByIdAsync(resolved.PersonId.Value))!.UnionId);

        var confused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("same-value"), new UnionId("same-value"), LoginChannel.MiniProgram)));
        Assert.Equal(IdentityErrorCodes.InvalidIdentity, confused.Code);
    }

    [Fact]
    public async Task ALegacyIdentityWithoutUnionIdGetsItBackFilledNotDuplicated()
    {
        var legacy = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("legacy-openid"), null, LoginChannel.MiniProgram));

        var later = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("legacy-openid"), new UnionId("union-late"), LoginChannel.MiniProgram));

        Assert.Equal(legacy.PersonId, later.PersonId);
        Assert.Equal("union-late", later.UnionId?.Value);
        Assert.Equal(legacy.PersonId.Value, (await Host.Directory.FindByUnionIdAsync("union-late"))!.Id);
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(0, await Host.CountAsync("person_merges"));
    }

    [Fact]
    public async Task ThePersonThroughFourDifferentAppsIsOnePerson()
    {
        var logins = new[]
        {
            new LoginIdentity(new AppId("wxofficial"), new OpenId("o-oa"), new UnionId("union-four"), LoginChannel.OfficialAccount),
            new LoginIdentity(new AppId("wxmini"), new OpenId("o-mini"), new UnionId("union-four"), LoginChannel.MiniProgram),
            new LoginIdentity(new AppId("wxmobile"), new OpenId("o-app"), new UnionId("union-four"), LoginChannel.MobileApp),
            new LoginIdentity(new AppId("wxwebsite"), new OpenId("o-web"), new UnionId("union-four"), LoginChannel.Website),
        };

        var ids = new List<long>();
        foreach (var login in logins)
        {
            ids.Add((await Host.Resolver.ResolveAsync(login)).PersonId.Value);
        }

        Assert.Single(ids.Distinct());
        var person = (await Host.Directory.FindByIdAsync(ids[0]))!;
        Assert.Equal(logins.Select(l => (l.AppId.Value, l.OpenId.Value, l.Channel)), person.AppIdentities.Select(i => (i.AppId, i.OpenId, i.Channel)));
    }

    [Fact]
    public async Task AnOpenIdOnlyPersonGainingAUnionIdHeldByAnotherIsMergedIntoTheHolder()
    {
        var openIdOnly = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-o"), null, LoginChannel.MiniProgram, Profile: new LoginProfile("老用户🙂", null)));
        var holder = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-o"), new UnionId("union-merge"), LoginChannel.OfficialAccount));
        Assert.NotEqual(openIdOnly.PersonId, holder.PersonId);

        var merged = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-o"), new UnionId("union-merge"), LoginChannel.MiniProgram));
        var again = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-o"), new UnionId("union-merge"), LoginChannel.MiniProgram));

        Assert.Equal(holder.PersonId, merged.PersonId);
        Assert.Equal(holder.PersonId, again.PersonId);
        var survivor = (await Host.Directory.FindByUnionIdAsync("union-merge"))!;
        Assert.Equal(["mini-o", "oa-o"], survivor.AppIdentities.Select(i => i.OpenId));
        Assert.Equal("老用户🙂", survivor.Nickname);
        Assert.Equal(holder.PersonId.Value, (await Host.Directory.FindByIdAsync(openIdOnly.PersonId.Value))!.Id);
        Assert.Equal(holder.PersonId.Value, (await Host.Directory.FindByOpenIdAsync("wxmini", "mini-o"))!.Id);
        var record = await Host.Store.ExecuteAsync((c, ct) => c.QuerySingleAsync<(long Survivor, long Merged, string UnionId)>(
            new CommandDefinition("SELECT survivor_id, merged_id, union_id FROM person_merges", cancellationToken: ct)));
        Assert.Equal((holder.PersonId.Value, openIdOnly.PersonId.Value, "union-merge"), record);
    }

    [Fact]
    public async Task ASnapshotUserIsRefusedAndNeverStored()
    {
        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("snapshot-openid"), null, LoginChannel.OfficialAccount, IsSnapshotUser: true)));

        Assert.Equal(IdentityErrorCodes.SnapshotUser, refused.Code);
        Assert.Null(await Host.Directory.FindByOpenIdAsync("wxofficial", "snapshot-openid"));
        Assert.Equal(0, await Host.CountAsync("persons"));
    }

    [Fact]
    public async Task ADisabledPersonIsRefusedWithItsOwnCodeThroughEveryAppUntilEnabled()
    {
        var person = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-d"), new UnionId("union-disabled"), LoginChannel.OfficialAccount));

        var disabled = await Host.Directory.SetDisabledAsync(person.PersonId.Value, disabled: true);

        Assert.True(disabled!.Disabled);
        Assert.Equal(person.PersonId.Value, Assert.Single(Host.DisabledListener.Disabled).Id);
        var sameApp = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-d"), new UnionId("union-disabled"), LoginChannel.OfficialAccount)));
        var otherApp = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-d"), new UnionId("union-disabled"), LoginChannel.MiniProgram)));
        Assert.Equal(IdentityErrorCodes.PersonDisabled, sameApp.Code);
        Assert.Equal(IdentityErrorCodes.PersonDisabled, otherApp.Code);
        Assert.Single((await Host.Directory.FindByIdAsync(person.PersonId.Value))!.AppIdentities);

        await Host.Directory.SetDisabledAsync(person.PersonId.Value, disabled: false);
        Assert.Equal(person.PersonId, (await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-d"), new UnionId("union-disabled"), LoginChannel.MiniProgram))).PersonId);
        Assert.Single(Host.DisabledListener.Disabled);
    }

    [Fact]
    public async Task AnEmojiNicknameAndAvatarAreStoredVerbatimAndUpdatedOnLaterLogins()
    {
        var login = new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-emoji"), new UnionId("union-emoji"), LoginChannel.OfficialAccount, Profile: new LoginProfile("🐼熊猫👨‍👩‍👧𠜎", "https://thirdwx.qlogo.cn/mmopen/abc/132"));
        var person = await Host.Resolver.ResolveAsync(login);
        Assert.Equal("🐼熊猫👨‍👩‍👧𠜎", (await Host.Directory.FindByIdAsync(person.PersonId.Value))!.Nickname);

        await Host.Resolver.ResolveAsync(login with { Profile = new LoginProfile("新名字🎉", null) });

        var view = (await Host.Directory.FindByIdAsync(person.PersonId.Value))!;
        Assert.Equal("新名字🎉", view.Nickname);
        Assert.Equal("https://thirdwx.qlogo.cn/mmopen/abc/132", view.AvatarUrl);
    }

    [Fact]
    public async Task AReturningPersonCostsAtMostTwoIndexedLookups()
    {
        await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-cost"), new UnionId("union-cost"), LoginChannel.OfficialAccount));
        await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-cost"), null, LoginChannel.MiniProgram));

        Assert.Equal(1, await LookupsFor(new LoginIdentity(new AppId("wxofficial"), new OpenId("oa-cost"), new UnionId("union-cost"), LoginChannel.OfficialAccount)));
        Assert.Equal(1, await LookupsFor(new LoginIdentity(new AppId("wxmini"), new OpenId("mini-cost"), null, LoginChannel.MiniProgram)));
        Assert.Equal(2, await LookupsFor(new LoginIdentity(new AppId("wxwebsite"), new OpenId("web-cost"), new UnionId("union-cost"), LoginChannel.Website)));
    }

    [Fact]
    public async Task FiftyParallelFirstLoginsOfOneUnionIdThroughDifferentAppsYieldOnePerson()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId($"wxapp{i:D3}"), new OpenId($"openid-{i}"), new UnionId("union-burst"), (LoginChannel)(i % 4))))));

        Assert.Single(results.Select(r => r.PersonId).Distinct());
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(50, await Host.CountAsync("app_identities"));
    }

    [Fact]
    public async Task FiftyParallelLoginsOfOneAppAndOpenIdYieldOnePerson()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("burst-openid"), null, LoginChannel.MiniProgram)))));

        Assert.Single(results.Select(r => r.PersonId).Distinct());
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(1, await Host.CountAsync("app_identities"));
    }

    [Fact]
    public async Task FiftyParallelLoginsBringingTheUnionIdOfAnOpenIdOnlyPersonBackFillItOnce()
    {
        var legacy = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("late-openid"), null, LoginChannel.MiniProgram));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => i % 2 == 0
            ? Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxmini"), new OpenId("late-openid"), new UnionId("union-late-burst"), LoginChannel.MiniProgram))
            : Host.Resolver.ResolveAsync(new LoginIdentity(new AppId($"wxother{i:D2}"), new OpenId($"other-{i}"), new UnionId("union-late-burst"), LoginChannel.Website)))));

        // Whether the back-fill or a new holder won the race, every login ends on one surviving person.
        var survivor = (await Host.Directory.FindByUnionIdAsync("union-late-burst"))!;
        Assert.All(results, r => Assert.Equal(survivor.Id, r.PersonId.Value));
        Assert.Equal(26, survivor.AppIdentities.Count);
        Assert.Equal(survivor.Id, (await Host.Directory.FindByIdAsync(legacy.PersonId.Value))!.Id);
        Assert.Equal(await Host.CountAsync("persons") - 1, await Host.CountAsync("person_merges"));
    }


    private async Task<long> LookupsFor(LoginIdentity login)
    {
        var before = Host.Counter.Lookups;
        await Host.Resolver.ResolveAsync(login);
        return Host.Counter.Lookups - before;
    }
}

public sealed class MariaDbIdentityResolutionTests : IdentityResolutionTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await MariaDbTestDatabase.CreateAsync();
}

public sealed class SqliteIdentityResolutionTests : IdentityResolutionTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
