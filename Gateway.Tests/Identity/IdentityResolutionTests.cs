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
        var resolved = await Host.Resolver.ResolveAsync(new LoginIdentity("wxapp0001", "openid-a", "union-1", LoginChannel.MiniProgram));

        Assert.True(resolved.PersonId > 0);
        Assert.Equal("union-1", resolved.UnionId);
        Assert.Equal(("wxapp0001", "openid-a", LoginChannel.MiniProgram), (resolved.AppId, resolved.OpenId, resolved.Channel));
        Assert.Null(resolved.LegacyUserId);
        var person = await Host.Directory.FindByIdAsync(resolved.PersonId);
        Assert.NotNull(person);
        Assert.False(person.Disabled);
        Assert.Equal(Host.Clock.GetUtcNow(), person.CreatedAt);
        var identity = Assert.Single(person.AppIdentities);
        Assert.Equal(new AppIdentityView("wxapp0001", "openid-a", LoginChannel.MiniProgram, Host.Clock.GetUtcNow(), Host.Clock.GetUtcNow()), identity);
    }

    [Fact]
    public async Task AReturningPersonIsFoundByUnionIdFromAnAppNotSeenBefore()
    {
        var first = await Host.Resolver.ResolveAsync(new LoginIdentity("wxofficial", "oa-openid", "union-2", LoginChannel.OfficialAccount));

        var second = await Host.Resolver.ResolveAsync(new LoginIdentity("wxwebsite", "web-openid", "union-2", LoginChannel.Website));

        Assert.Equal(first.PersonId, second.PersonId);
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(2, (await Host.Directory.FindByUnionIdAsync("union-2"))!.AppIdentities.Count);
    }

    [Fact]
    public async Task AReturningPersonWithoutUnionIdIsFoundByAppAndOpenId()
    {
        var first = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-openid", null, LoginChannel.MiniProgram));
        Host.Clock.Advance(TimeSpan.FromHours(1));

        var second = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-openid", null, LoginChannel.MiniProgram));

        Assert.Equal(first.PersonId, second.PersonId);
        Assert.Null(second.UnionId);
        var identity = Assert.Single((await Host.Directory.FindByOpenIdAsync("wxmini", "mini-openid"))!.AppIdentities);
        Assert.Equal(Host.Clock.GetUtcNow(), identity.LastLoginAt);
        Assert.Equal(Host.Clock.GetUtcNow() - TimeSpan.FromHours(1), identity.CreatedAt);
    }

    [Fact]
    public async Task AnOpenIdIsNeverReportedAsTheUnionId()
    {
        var resolved = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "only-openid", null, LoginChannel.MiniProgram));
        Assert.Null(resolved.UnionId);
        Assert.Null((await Host.Directory.FindByIdAsync(resolved.PersonId))!.UnionId);

        var confused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "same-value", "same-value", LoginChannel.MiniProgram)));
        Assert.Equal(IdentityErrorCodes.InvalidIdentity, confused.Code);
    }

    [Fact]
    public async Task ALegacyIdentityWithoutUnionIdGetsItBackFilledNotDuplicated()
    {
        var legacy = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "legacy-openid", null, LoginChannel.MiniProgram));

        var later = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "legacy-openid", "union-late", LoginChannel.MiniProgram));

        Assert.Equal(legacy.PersonId, later.PersonId);
        Assert.Equal("union-late", later.UnionId);
        Assert.Equal(legacy.PersonId, (await Host.Directory.FindByUnionIdAsync("union-late"))!.Id);
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(0, await Host.CountAsync("person_merges"));
    }

    [Fact]
    public async Task ThePersonThroughFourDifferentAppsIsOnePerson()
    {
        var logins = new[]
        {
            new LoginIdentity("wxofficial", "o-oa", "union-four", LoginChannel.OfficialAccount),
            new LoginIdentity("wxmini", "o-mini", "union-four", LoginChannel.MiniProgram),
            new LoginIdentity("wxmobile", "o-app", "union-four", LoginChannel.MobileApp),
            new LoginIdentity("wxwebsite", "o-web", "union-four", LoginChannel.Website),
        };

        var ids = new List<long>();
        foreach (var login in logins)
        {
            ids.Add((await Host.Resolver.ResolveAsync(login)).PersonId);
        }

        Assert.Single(ids.Distinct());
        var person = (await Host.Directory.FindByIdAsync(ids[0]))!;
        Assert.Equal(logins.Select(l => (l.AppId, l.OpenId, l.Channel)), person.AppIdentities.Select(i => (i.AppId, i.OpenId, i.Channel)));
    }

    [Fact]
    public async Task AnOpenIdOnlyPersonGainingAUnionIdHeldByAnotherIsMergedIntoTheHolder()
    {
        var openIdOnly = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-o", null, LoginChannel.MiniProgram, Profile: new LoginProfile("老用户🙂", null)));
        var holder = await Host.Resolver.ResolveAsync(new LoginIdentity("wxofficial", "oa-o", "union-merge", LoginChannel.OfficialAccount));
        Assert.NotEqual(openIdOnly.PersonId, holder.PersonId);

        var merged = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-o", "union-merge", LoginChannel.MiniProgram));
        var again = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-o", "union-merge", LoginChannel.MiniProgram));

        Assert.Equal(holder.PersonId, merged.PersonId);
        Assert.Equal(holder.PersonId, again.PersonId);
        var survivor = (await Host.Directory.FindByUnionIdAsync("union-merge"))!;
        Assert.Equal(["mini-o", "oa-o"], survivor.AppIdentities.Select(i => i.OpenId));
        Assert.Equal("老用户🙂", survivor.Nickname);
        Assert.Equal(holder.PersonId, (await Host.Directory.FindByIdAsync(openIdOnly.PersonId))!.Id);
        Assert.Equal(holder.PersonId, (await Host.Directory.FindByOpenIdAsync("wxmini", "mini-o"))!.Id);
        var record = await Host.Store.ExecuteAsync((c, ct) => c.QuerySingleAsync<(long Survivor, long Merged, string UnionId)>(
            new CommandDefinition("SELECT survivor_id, merged_id, union_id FROM person_merges", cancellationToken: ct)));
        Assert.Equal((holder.PersonId, openIdOnly.PersonId, "union-merge"), record);
    }

    [Fact]
    public async Task ASnapshotUserIsRefusedAndNeverStored()
    {
        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity("wxofficial", "snapshot-openid", null, LoginChannel.OfficialAccount, IsSnapshotUser: true)));

        Assert.Equal(IdentityErrorCodes.SnapshotUser, refused.Code);
        Assert.Null(await Host.Directory.FindByOpenIdAsync("wxofficial", "snapshot-openid"));
        Assert.Equal(0, await Host.CountAsync("persons"));
    }

    [Fact]
    public async Task ADisabledPersonIsRefusedWithItsOwnCodeThroughEveryAppUntilEnabled()
    {
        var person = await Host.Resolver.ResolveAsync(new LoginIdentity("wxofficial", "oa-d", "union-disabled", LoginChannel.OfficialAccount));

        var disabled = await Host.Directory.SetDisabledAsync(person.PersonId, disabled: true);

        Assert.True(disabled!.Disabled);
        Assert.Equal(person.PersonId, Assert.Single(Host.DisabledListener.Disabled).Id);
        var sameApp = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity("wxofficial", "oa-d", "union-disabled", LoginChannel.OfficialAccount)));
        var otherApp = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-d", "union-disabled", LoginChannel.MiniProgram)));
        Assert.Equal(IdentityErrorCodes.PersonDisabled, sameApp.Code);
        Assert.Equal(IdentityErrorCodes.PersonDisabled, otherApp.Code);
        Assert.Single((await Host.Directory.FindByIdAsync(person.PersonId))!.AppIdentities);

        await Host.Directory.SetDisabledAsync(person.PersonId, disabled: false);
        Assert.Equal(person.PersonId, (await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-d", "union-disabled", LoginChannel.MiniProgram))).PersonId);
        Assert.Single(Host.DisabledListener.Disabled);
    }

    [Fact]
    public async Task AnEmojiNicknameAndAvatarAreStoredVerbatimAndUpdatedOnLaterLogins()
    {
        var login = new LoginIdentity("wxofficial", "oa-emoji", "union-emoji", LoginChannel.OfficialAccount, Profile: new LoginProfile("🐼熊猫👨‍👩‍👧𠜎", "https://thirdwx.qlogo.cn/mmopen/abc/132"));
        var person = await Host.Resolver.ResolveAsync(login);
        Assert.Equal("🐼熊猫👨‍👩‍👧𠜎", (await Host.Directory.FindByIdAsync(person.PersonId))!.Nickname);

        await Host.Resolver.ResolveAsync(login with { Profile = new LoginProfile("新名字🎉", null) });

        var view = (await Host.Directory.FindByIdAsync(person.PersonId))!;
        Assert.Equal("新名字🎉", view.Nickname);
        Assert.Equal("https://thirdwx.qlogo.cn/mmopen/abc/132", view.AvatarUrl);
    }

    [Fact]
    public async Task AReturningPersonCostsAtMostTwoIndexedLookups()
    {
        await Host.Resolver.ResolveAsync(new LoginIdentity("wxofficial", "oa-cost", "union-cost", LoginChannel.OfficialAccount));
        await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "mini-cost", null, LoginChannel.MiniProgram));

        Assert.Equal(1, await LookupsFor(new LoginIdentity("wxofficial", "oa-cost", "union-cost", LoginChannel.OfficialAccount)));
        Assert.Equal(1, await LookupsFor(new LoginIdentity("wxmini", "mini-cost", null, LoginChannel.MiniProgram)));
        Assert.Equal(2, await LookupsFor(new LoginIdentity("wxwebsite", "web-cost", "union-cost", LoginChannel.Website)));
    }

    [Fact]
    public async Task FiftyParallelFirstLoginsOfOneUnionIdThroughDifferentAppsYieldOnePerson()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity($"wxapp{i:D3}", $"openid-{i}", "union-burst", (LoginChannel)(i % 4))))));

        Assert.Single(results.Select(r => r.PersonId).Distinct());
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(50, await Host.CountAsync("app_identities"));
    }

    [Fact]
    public async Task FiftyParallelLoginsOfOneAppAndOpenIdYieldOnePerson()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "burst-openid", null, LoginChannel.MiniProgram)))));

        Assert.Single(results.Select(r => r.PersonId).Distinct());
        Assert.Equal(1, await Host.CountAsync("persons"));
        Assert.Equal(1, await Host.CountAsync("app_identities"));
    }

    [Fact]
    public async Task FiftyParallelLoginsBringingTheUnionIdOfAnOpenIdOnlyPersonBackFillItOnce()
    {
        var legacy = await Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "late-openid", null, LoginChannel.MiniProgram));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => i % 2 == 0
            ? Host.Resolver.ResolveAsync(new LoginIdentity("wxmini", "late-openid", "union-late-burst", LoginChannel.MiniProgram))
            : Host.Resolver.ResolveAsync(new LoginIdentity($"wxother{i:D2}", $"other-{i}", "union-late-burst", LoginChannel.Website)))));

        // Whether the back-fill or a new holder won the race, every login ends on one surviving person.
        var survivor = (await Host.Directory.FindByUnionIdAsync("union-late-burst"))!;
        Assert.All(results, r => Assert.Equal(survivor.Id, r.PersonId));
        Assert.Equal(26, survivor.AppIdentities.Count);
        Assert.Equal(survivor.Id, (await Host.Directory.FindByIdAsync(legacy.PersonId))!.Id);
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
