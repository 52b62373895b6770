namespace Gateway.Auth.Identity;

/// <summary>
/// The values WeChat sends in place of a real profile, recognised in this one place: since 2021-04-28 wx.getUserInfo
/// and since 2022-11-08 getUserProfile answer "微信用户" and a grey avatar, and an account without an avatar has
/// WeChat's default one. None of them says anything about the person, so none is stored.
/// </summary>
public static class ProfilePlaceholders
{
    public const string AnonymousNickname = "微信用户";

    // The grey avatar's image id on thirdwx.qlogo.cn, whatever size suffix follows it.
    private const string AnonymousAvatarPath = "/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/";

    // WeChat's default avatar on mmbiz.qpic.cn.
    private const string DefaultAvatarPath = "/mmbiz/icTdbqWNOwNRna42FI242Lcia07jQodd2FJGIYQfG0LAJGFxM4FbnQP6yfMxBgJ0F3YRqJCJ1aPAK2dQagdusBZg/";

    public static bool IsPlaceholderNickname(string? nickname) =>
        string.IsNullOrWhiteSpace(nickname) || string.Equals(nickname.Trim(), AnonymousNickname, StringComparison.Ordinal);

    public static bool IsPlaceholderAvatar(string? avatarUrl)
    {
        if (string.IsNullOrWhiteSpace(avatarUrl))
        {
            return true;
        }

        if (!Uri.TryCreate(avatarUrl, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return (HostIs(uri, "thirdwx.qlogo.cn") || HostIs(uri, "wx.qlogo.cn")) && uri.AbsolutePath.StartsWith(AnonymousAvatarPath, StringComparison.Ordinal)
            || HostIs(uri, "mmbiz.qpic.cn") && uri.AbsolutePath.StartsWith(DefaultAvatarPath, StringComparison.Ordinal);
    }

    /// <summary>The profile with every placeholder taken out; null when nothing real is left.</summary>
    public static LoginProfile? RealPart(LoginProfile? profile)
    {
        if (profile is null)
        {
            return null;
        }

        var nickname = IsPlaceholderNickname(profile.Nickname) ? null : profile.Nickname;
        var avatarUrl = IsPlaceholderAvatar(profile.AvatarUrl) ? null : profile.AvatarUrl;
        return nickname is null && avatarUrl is null ? null : new LoginProfile(nickname, avatarUrl);
    }

    private static bool HostIs(Uri uri, string host) => string.Equals(uri.IdnHost, host, StringComparison.OrdinalIgnoreCase);
}
