namespace Gateway.WeChatSandbox;

/// <summary>What WeChat hands out in place of a real profile (wx.getUserInfo since 2021-04-28, getUserProfile since 2022-11-08).</summary>
public static class AnonymousProfile
{
    public const string Nickname = "微信用户";

    /// <summary>The grey anonymous avatar getUserProfile answers from base library 2.27.1.</summary>
    public const string AvatarUrl = "https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132";

    /// <summary>The default avatar of an account whose owner never set one.</summary>
    public const string DefaultAvatarUrl = "https://mmbiz.qpic.cn/mmbiz/icTdbqWNOwNRna42FI242Lcia07jQodd2FJGIYQfG0LAJGFxM4FbnQP6yfMxBgJ0F3YRqJCJ1aPAK2dQagdusBZg/0";
}
