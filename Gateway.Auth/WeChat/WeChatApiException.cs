namespace Gateway.Auth.WeChat;

/// <summary>
/// A WeChat call that did not succeed. <see cref="Errcode"/> is WeChat's code when WeChat answered one; the message
/// names the API and never carries a secret, code, token or WeChat's errmsg.
/// </summary>
internal sealed class WeChatApiException(string api, WeChatErrorKind kind, int? errcode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The API path, e.g. <c>sns/jscode2session</c>.</summary>
    public string Api { get; } = api;

    public WeChatErrorKind Kind { get; } = kind;

    public int? Errcode { get; } = errcode;
}
