namespace Gateway.Auth.WeChat;

/// <summary>The <c>WeChat</c> section: where WeChat is, how long to wait for it, and the apps the gateway logs in with.</summary>
public sealed class WeChatOptions
{
    public const string SectionName = "WeChat";

    /// <summary>Replaces https://api.weixin.qq.com (the sandbox: http://host/_sandbox/wechat).</summary>
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Replaces https://open.weixin.qq.com, where browsers are sent to authorize.</summary>
    public string OpenBaseUrl { get; set; } = "https://open.weixin.qq.com";

    /// <summary>
    /// True only on a test deployment: lets the Production environment use a relative (the sandbox on this gateway)
    /// or plain-http WeChat base URL, which would otherwise send the AppSecret somewhere that is not WeChat.
    /// </summary>
    public bool TestDeployment { get; set; }

    /// <summary>Per call, for every call to WeChat.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public WeChatRetryOptions Retry { get; set; } = new();

    /// <summary>Keyed by the app key used in the login endpoints' paths.</summary>
    public Dictionary<string, WeChatAppOptions> Apps { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Retries of calls WeChat answered "system busy" (-1) or that failed to connect; timeouts are not retried.</summary>
public sealed class WeChatRetryOptions
{
    /// <summary>Further attempts after the first.</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>Delay before the first retry; doubled for each further one, never above <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class WeChatAppOptions
{
    public WeChatAppKind? Kind { get; set; }

    public string? AppId { get; set; }

    /// <summary>The AppSecret; never logged. Prefer <see cref="SecretFile"/> in production.</summary>
    public string? Secret { get; set; }

    /// <summary>A file holding the AppSecret (e.g. a mounted secret); surrounding whitespace is ignored.</summary>
    public string? SecretFile { get; set; }
}
