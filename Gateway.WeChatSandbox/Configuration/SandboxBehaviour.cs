namespace Gateway.WeChatSandbox;

/// <summary>The WeChat an app sees; dates are WeChat's announcements (docs/wechat-sandbox.md).</summary>
public enum SandboxBehaviour
{
    /// <summary>
    /// WeChat in 2026: a bound mini program gets the unionid from sns/jscode2session (since 2021-02-23); mini program
    /// user data is anonymous, "微信用户" and the grey avatar (2021-04-28, 2022-11-08); no login returns gender or
    /// region (2021-10). sns/userinfo after an explicit snsapi_userinfo consent still carries nickname and avatar.
    /// </summary>
    WeChat2026,

    /// <summary>
    /// The seed articles' WeChat: real profiles everywhere, and a mini program's unionid only inside the encrypted
    /// user data, which is what the gateway's two-step login handles.
    /// </summary>
    Legacy,
}
