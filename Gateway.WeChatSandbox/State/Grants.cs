namespace Gateway.WeChatSandbox;

internal enum CodeKind
{
    /// <summary>From the consent page or the APP SDK, exchanged at sns/oauth2/access_token.</summary>
    OAuth,

    /// <summary>From wx.login, exchanged at sns/jscode2session.</summary>
    MiniProgramLogin,

    /// <summary>From a getPhoneNumber button, exchanged at wxa/business/getuserphonenumber.</summary>
    Phone,

    /// <summary>From wx.weixinAppLogin or wx.phoneSmsLogin in a multi-platform app (the scope holds the login type).</summary>
    MultiPlatformLogin,
}

internal sealed record CodeGrant(string AppId, string UserKey, CodeKind Kind, string Scope, DateTimeOffset IssuedAt)
{
    public bool Used { get; set; }
}

internal sealed record SnsGrant(string AppId, string UserKey, string Scope, DateTimeOffset ExpiresAt);

internal sealed record AppToken(string AppId, bool Stable, DateTimeOffset ExpiresAt);

/// <summary>An API answer: the JSON WeChat would send, and how long a latency fault holds it back.</summary>
internal sealed record ApiResult(System.Text.Json.Nodes.JsonObject Body, TimeSpan Latency);

/// <summary>What an app's faults do to one call: an errcode to answer, a delay, and the errcode-as-string quirk.</summary>
internal readonly record struct FaultOutcome(int? Errcode, TimeSpan Latency, bool ErrcodeAsString);
