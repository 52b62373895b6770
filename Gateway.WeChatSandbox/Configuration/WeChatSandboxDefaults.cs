namespace Gateway.WeChatSandbox;

/// <summary>The built-in data set used when configuration names no apps or users (documented in docs/wechat-sandbox.md).</summary>
public static class WeChatSandboxDefaults
{
    public const string OpenPlatform = "sandbox-open-platform";

    public const string SnapshotUser = "snapshot";

    public static List<SandboxApp> Apps() =>
    [
        App("wx_sandbox_oa", "sandbox-secret-oa", SandboxAppKind.OfficialAccount, "Sandbox Official Account", OpenPlatform),
        App("wx_sandbox_web", "sandbox-secret-web", SandboxAppKind.Website, "Sandbox Website", OpenPlatform),
        App("wx_sandbox_app", "sandbox-secret-app", SandboxAppKind.MobileApp, "Sandbox Mobile App", OpenPlatform),
        App("wx_sandbox_mp", "sandbox-secret-mp", SandboxAppKind.MiniProgram, "Sandbox Mini Program", OpenPlatform),
        new SandboxApp
        {
            AppId = "wx_sandbox_mp_twostep",
            Secret = "sandbox-secret-mp-twostep",
            Kind = SandboxAppKind.MiniProgram,
            Name = "Sandbox Mini Program (unionid only in encrypted data)",
            OpenPlatform = OpenPlatform,
            Behaviour = SandboxBehaviour.Legacy,
        },
        App("wx_sandbox_mp_unbound", "sandbox-secret-mp-unbound", SandboxAppKind.MiniProgram, "Sandbox Mini Program (not bound)", null),
        new SandboxApp
        {
            AppId = "wx_sandbox_donut",
            Secret = "sandbox-secret-donut",
            Kind = SandboxAppKind.MultiPlatform,
            Name = "Sandbox Multi-platform App",
            MobileApp = "wx_sandbox_app",
        },
    ];

    public static List<SandboxUser> Users() =>
    [
        new SandboxUser
        {
            Key = "xiaoming", Nickname = "小明🐼", Sex = 1, Province = "Guangdong", City = "Guangzhou", Country = "CN",
            HeadImgUrl = "https://thirdwx.qlogo.cn/mmopen/vi_32/sandbox-xiaoming/132", Phone = "13800138000",
        },
        new SandboxUser
        {
            Key = "xiaohong", Nickname = "小红", Sex = 2, Province = "Zhejiang", City = "Hangzhou", Country = "CN",
            HeadImgUrl = "https://thirdwx.qlogo.cn/mmopen/vi_32/sandbox-xiaohong/132",
        },
        new SandboxUser
        {
            Key = "alice", Nickname = "Alice", Sex = 0, Language = "en",
            HeadImgUrl = "https://thirdwx.qlogo.cn/mmopen/vi_32/sandbox-alice/132", Phone = "2025550143", CountryCode = "1",
        },
        new SandboxUser
        {
            Key = SnapshotUser, Nickname = "微信用户", Sex = 0,
            HeadImgUrl = "https://thirdwx.qlogo.cn/mmopen/vi_32/sandbox-snapshot/132",
        },
    ];

    private static SandboxApp App(string appId, string secret, SandboxAppKind kind, string name, string? openPlatform) =>
        new() { AppId = appId, Secret = secret, Kind = kind, Name = name, OpenPlatform = openPlatform };
}
