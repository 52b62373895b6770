namespace Gateway.Auth.WeChat;

/// <summary>The kinds of WeChat client an app key can be; each kind has its own login endpoints.</summary>
public enum WeChatAppKind
{
    OfficialAccount,
    Website,
    MobileApp,
    MiniProgram,

    /// <summary>多端应用 (Donut): codes from wx.weixinAppLogin and friends, exchanged at donut/code2verifyinfo.</summary>
    MultiPlatform,
}
