namespace Gateway.Auth.WeChat;

/// <summary>A configured app, ready to call WeChat with. <see cref="Secret"/> is never logged nor returned.</summary>
public sealed record WeChatApp(string Key, WeChatAppKind Kind, string AppId, string Secret)
{
    /// <summary>Keeps the secret out of any accidental string formatting.</summary>
    public override string ToString() => $"{Key} ({Kind}, {AppId})";
}
