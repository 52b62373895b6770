using Gateway.Auth.Identity;
using Gateway.Tests.Relational;

namespace Gateway.Tests.Identity;

/// <summary>Hostile and oversized input through every identity field, on both engines.</summary>
public abstract class IdentityInputTests : IdentityHostTests
{
    private static readonly string[] HostileIdentifiers =
    [
        "x' OR '1'='1",
        "a;DROP TABLE persons;--",
        "a\"b",
        "a\\b",
        "a%b_",
        "a b",
        "用户",
        "a\0b",
        "😀",
        "@unionId",
    ];

    [Fact]
    public async Task HostileOrOversizedIdentifiersAreRejectedNamingTheFieldAndNothingIsStored()
    {
        var valid = new LoginIdentity(new AppId("wxapp"), new OpenId("openid"), new UnionId("unionid"), LoginChannel.Website);
        var cases = HostileIdentifiers.SelectMany(value => new[]
            {
                ("AppId", valid with { AppId = new AppId(value) }),
                ("OpenId", valid with { OpenId = new OpenId(value) }),
                ("UnionId", valid with { UnionId = new UnionId(value) }),
            })
            .Append(("AppId", valid with { AppId = new AppId(new string('a', 65)) }))
            .Append(("OpenId", valid with { OpenId = new OpenId(new string('o', 129)) }))
            .Append(("UnionId", valid with { UnionId = new UnionId(new string('u', 129)) }));

        foreach (var (field, login) in cases)
        {
            var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() => Host.Resolver.ResolveAsync(login));
            Assert.Equal(IdentityErrorCodes.InvalidIdentity, refused.Code);
            Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
        }

        // An empty identifier cannot even be built, and an empty one from WeChat is refused naming the field.
        Assert.Throws<ArgumentException>(() => new OpenId(""));
        Assert.Equal("OpenId is required.", Assert.Throws<IdentityResolutionException>(() => LoginIdentity.FromWeChat("wxapp", "", null, LoginChannel.Website)).Message);
        Assert.Null(LoginIdentity.FromWeChat("wxapp", "openid", "", LoginChannel.Website).UnionId);
        Assert.Equal(0, await Host.CountAsync("persons"));
        Assert.Equal(0, await Host.CountAsync("app_identities"));
    }

    [Fact]
    public async Task IdentifiersAtTheirMaximumLengthAreAccepted()
    {
        var login = new LoginIdentity(new AppId(new string('a', 64)), new OpenId(new string('o', 128)), new UnionId(new string('u', 128)), LoginChannel.MobileApp);

        var resolved = await Host.Resolver.ResolveAsync(login);

        Assert.Equal(login.UnionId, resolved.UnionId);
        Assert.Equal(resolved.PersonId.Value, (await Host.Directory.FindByOpenIdAsync(login.AppId.Value, login.OpenId.Value))!.Id);
    }

    [Fact]
    public async Task SqlMetacharactersInProfileTextAreStoredVerbatim()
    {
        const string nickname = "Robert'); DROP TABLE persons;-- \\ \" % _ ` @openId 😀";
        const string avatar = "https://thirdwx.qlogo.cn/a'b;--/132?x=%27%22&y=\\";

        var resolved = await Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxapp"), new OpenId("o-meta"), new UnionId("u-meta"), LoginChannel.Website, Profile: new LoginProfile(nickname, avatar)));

        var person = (await Host.Directory.FindByIdAsync(resolved.PersonId.Value))!;
        Assert.Equal(nickname, person.Nickname);
        Assert.Equal(avatar, person.AvatarUrl);
        Assert.Equal(1, await Host.CountAsync("persons"));
    }

    [Theory]
    [InlineData("Nickname", "101 characters")]
    [InlineData("Nickname", "lone surrogate")]
    [InlineData("Nickname", "NUL")]
    [InlineData("AvatarUrl", "not http")]
    [InlineData("AvatarUrl", "1025 characters")]
    public async Task UnstorableProfileTextIsRejectedNamingTheField(string field, string problem)
    {
        var profile = (field, problem) switch
        {
            ("Nickname", "101 characters") => new LoginProfile(new string('名', 101), null),
            ("Nickname", "lone surrogate") => new LoginProfile("bad\uD83D", null),
            ("Nickname", _) => new LoginProfile("nul\0here", null),
            (_, "not http") => new LoginProfile(null, "javascript:alert(1)"),
            _ => new LoginProfile(null, "https://a.test/" + new string('p', 1010)),
        };

        var refused = await Assert.ThrowsAsync<IdentityResolutionException>(() =>
            Host.Resolver.ResolveAsync(new LoginIdentity(new AppId("wxapp"), new OpenId("o-profile"), null, LoginChannel.Website, Profile: profile)));

        Assert.Equal(IdentityErrorCodes.InvalidIdentity, refused.Code);
        Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Host.CountAsync("persons"));
    }

    [Fact]
    public async Task ManagementLookupsRejectHostileIdentifiers()
    {
        var byUnion = await Assert.ThrowsAsync<IdentityResolutionException>(() => Host.Directory.FindByUnionIdAsync("x' OR '1'='1"));
        var byOpen = await Assert.ThrowsAsync<IdentityResolutionException>(() => Host.Directory.FindByOpenIdAsync("wxapp", "o' --"));

        Assert.Equal(IdentityErrorCodes.InvalidIdentity, byUnion.Code);
        Assert.Equal(IdentityErrorCodes.InvalidIdentity, byOpen.Code);
    }

}

public sealed class MariaDbIdentityInputTests : IdentityInputTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await MariaDbTestDatabase.CreateAsync();
}

public sealed class SqliteIdentityInputTests : IdentityInputTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
