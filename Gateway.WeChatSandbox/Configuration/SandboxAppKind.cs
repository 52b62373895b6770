namespace Gateway.WeChatSandbox;

/// <summary>The kind of WeChat application, which decides the login flows and scopes it may use.</summary>
public enum SandboxAppKind
{
    /// <summary>公众号: H5 pages authorize through connect/oauth2/authorize (snsapi_base, snsapi_userinfo).</summary>
    OfficialAccount,

    /// <summary>网站应用: QR login through connect/qrconnect (snsapi_login).</summary>
    Website,

    /// <summary>移动应用: the native SDK hands the app a code (snsapi_userinfo).</summary>
    MobileApp,

    /// <summary>小程序: wx.login codes exchanged at sns/jscode2session.</summary>
    MiniProgram,

    /// <summary>多端应用 (Donut): wx.weixinAppLogin and friends give a code exchanged at donut/code2verifyinfo.</summary>
    MultiPlatform,
}
