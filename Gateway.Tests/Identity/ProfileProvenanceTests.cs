using Gateway.Auth.Identity;
using Gateway.Tests.Relational;

namespace Gateway.Tests.Identity;

/// <summary>
/// Profiles tell real data from WeChat's placeholders, keep the last real value and record where each value came
/// from and when; run on both engines (migration 0002).
/// </summary>
public abstract class ProfileProvenanceTests : IdentityHostTests
{
    private const string GreyAvatar = "https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132";
    private const string DefaultAvatar = "https://mmbiz.qpic.cn/mmbiz/icTdbqWNOwNRna42FI242Lcia07jQodd2FJGIYQfG0LAJGFxM4FbnQP6yfMxBgJ0F3YRqJCJ1aPAK2dQagdusBZg/0";
    private const string RealAvatar = "https://thirdwx.qlogo.cn/mmopen/vi_32/Q0j4TwGTfTKreal/132";

    private Task<ResolvedIdentity> LoginAsync(LoginChannel channel, string? nickname, string? avatarUrl, string openId = "o-profile", string? unionId = "u-profile") =>
        Host.Resolver.ResolveAsync(new LoginIdentity("wx" + channel, openId, unionId, channel, Profile: new LoginProfile(nickname, avatarUrl)));

    [Fact]
    public async Task ANewPersonFromPlaceholdersHasNoNicknameOrAvatar()
    {
        var created = await LoginAsync(LoginChannel.MiniProgram, "微信用户", GreyAvatar);

        var person = (await Host.Directory.FindByIdAsync(created.PersonId))!;
        Assert.Null(person.Nickname);
        Assert.Null(person.AvatarUrl);
        Assert.Equal(new ProfileProvenance(null, null, null, null), person.ProfileSources);
    }

    [Fact]
    public async Task PlaceholdersNeverOverwriteTheLastRealValueAndSourcesFollowTheValue()
    {
        var start = Host.Clock.GetUtcNow();
        var created = await LoginAsync(LoginChannel.OfficialAccount, "小明🐼", RealAvatar);
        Host.Clock.Advance(TimeSpan.FromDays(1));

        await LoginAsync(LoginChannel.MiniProgram, "微信用户", GreyAvatar);
        await LoginAsync(LoginChannel.MiniProgram, " 微信用户 ", DefaultAvatar);
        await LoginAsync(LoginChannel.Website, "小明🐼", null);

        var kept = (await Host.Directory.FindByIdAsync(created.PersonId))!;
        Assert.Equal(("小明🐼", RealAvatar), (kept.Nickname, kept.AvatarUrl));
        Assert.Equal(new ProfileProvenance(ProfileSources.OfficialAccountUserInfo, start, ProfileSources.OfficialAccountUserInfo, start), kept.ProfileSources);

        await LoginAsync(LoginChannel.MiniProgram, "小明同学", null);

        var changed = (await Host.Directory.FindByIdAsync(created.PersonId))!;
        Assert.Equal(("小明同学", RealAvatar), (changed.Nickname, changed.AvatarUrl));
        Assert.Equal(new ProfileProvenance(ProfileSources.MiniProgramUserData, start.AddDays(1), ProfileSources.OfficialAccountUserInfo, start), changed.ProfileSources);
    }

    [Fact]
    public async Task AFillInIsRecordedAsTheUsersOwnChoice()
    {
        var created = await LoginAsync(LoginChannel.MiniProgram, "微信用户", GreyAvatar);

        var person = await Host.Directory.SetProfileAsync(created.PersonId, "老王", null);

        Assert.Equal("老王", person!.Nickname);
        Assert.Equal(ProfileSources.UserFillIn, person.ProfileSources!.NicknameSource);
        Assert.Null(person.ProfileSources.AvatarSource);
        Assert.Null(await Host.Directory.SetProfileAsync(424242, "nobody", null));
    }

    [Fact]
    public async Task AMergeMovesAValueTogetherWithItsSource()
    {
        var openIdOnly = await LoginAsync(LoginChannel.MiniProgram, "旧昵称", null, openId: "o-merge", unionId: null);
        var holder = await LoginAsync(LoginChannel.Website, null, RealAvatar, openId: "o-holder", unionId: "u-merge");

        await LoginAsync(LoginChannel.MiniProgram, null, null, openId: "o-merge", unionId: "u-merge");

        var survivor = (await Host.Directory.FindByIdAsync(openIdOnly.PersonId))!;
        Assert.Equal(holder.PersonId, survivor.Id);
        Assert.Equal(("旧昵称", RealAvatar), (survivor.Nickname, survivor.AvatarUrl));
        Assert.Equal(ProfileSources.MiniProgramUserData, survivor.ProfileSources!.NicknameSource);
        Assert.Equal(ProfileSources.WebsiteUserInfo, survivor.ProfileSources.AvatarSource);
    }

    [Theory]
    [InlineData(GreyAvatar, true)]
    [InlineData("https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/0", true)]
    [InlineData("https://wx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/46", true)]
    [InlineData(DefaultAvatar, true)]
    [InlineData("", true)]
    [InlineData(RealAvatar, false)]
    [InlineData("https://evil.example/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132", false)]
    public void TheRecognisedPlaceholderAvatarsAreWeChatsOwn(string url, bool placeholder) =>
        Assert.Equal(placeholder, ProfilePlaceholders.IsPlaceholderAvatar(url));
}

public sealed class MariaDbProfileProvenanceTests : ProfileProvenanceTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await MariaDbTestDatabase.CreateAsync();
}

public sealed class SqliteProfileProvenanceTests : ProfileProvenanceTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}
