using Gateway.Auth.WeChat;

namespace Gateway.Auth.Login;

public static class WeChatLoginPaths
{
    public const string Prefix = "/auth/wechat";

    public static string Segment(WeChatAppKind kind) => kind switch
    {
        WeChatAppKind.OfficialAccount => "oa",
        WeChatAppKind.Website => "web",
        WeChatAppKind.MobileApp => "app",
        WeChatAppKind.MultiPlatform => "multiplatform",
        _ => "miniprogram",
    };
}
