namespace Gateway.WeChatSandbox;

/// <summary>One WeChat application the sandbox knows (configuration section <c>WeChatSandbox:Apps:N</c>).</summary>
public sealed class SandboxApp
{
    public string AppId { get; set; } = "";

    public string Secret { get; set; } = "";

    public SandboxAppKind Kind { get; set; }

    /// <summary>A display name shown on the consent page.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// The icon on the consent page, as a <c>data:image/...</c> URI, so the page never fetches from elsewhere.
    /// Empty: a placeholder drawn from the name.
    /// </summary>
    public string? Icon { get; set; }

    /// <summary>
    /// The open platform account the app is bound to; apps bound to the same one see the same unionid for a user.
    /// Empty: not bound, and WeChat never reveals a unionid to the app.
    /// </summary>
    public string? OpenPlatform { get; set; }

    /// <summary>
    /// For a bound mini program: whether sns/jscode2session returns the unionid (WeChat's behaviour since 2021-02).
    /// False reproduces the older behaviour where the unionid is only inside the encrypted user data, which is what
    /// the gateway's two-step login handles.
    /// </summary>
    public bool UnionIdInCode2Session { get; set; } = true;

    /// <summary>Hosts a redirect_uri may point to (WeChat's "网页授权域名"); empty allows any host.</summary>
    public List<string> RedirectHosts { get; set; } = [];

    internal bool IsBound => !string.IsNullOrEmpty(OpenPlatform);
}
