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
    /// Which WeChat the app sees: today's (the default) or the one the 2018–2019 seed articles describe, so both
    /// paths stay tested. See <see cref="SandboxBehaviour"/>.
    /// </summary>
    public SandboxBehaviour Behaviour { get; set; }

    /// <summary>
    /// For a multi-platform app (多端应用): the appid of the mobile app it is bound to. WeChat reveals the user's
    /// openid in that app, and its unionid when the mobile app is bound to an open platform, on weixinApp logins.
    /// Empty: no bound mobile app, so logins yield only the multi-platform app's own user_id.
    /// </summary>
    public string? MobileApp { get; set; }

    /// <summary>Hosts a redirect_uri may point to (WeChat's "网页授权域名"); empty allows any host.</summary>
    public List<string> RedirectHosts { get; set; } = [];

    internal bool IsBound => !string.IsNullOrEmpty(OpenPlatform);
}
