namespace Gateway.Auth.WeChat;

/// <summary>What a WeChat failure means for the caller; decided on errcode only (errmsg wording changes over time).</summary>
internal enum WeChatErrorKind
{
    /// <summary>40029, 40163, 42003, 41008, 40030, 42002: the client must get a new code or authorize again.</summary>
    InvalidCode,

    /// <summary>45011.</summary>
    RateLimited,

    /// <summary>40226: WeChat blocks this user as high risk.</summary>
    HighRisk,

    /// <summary>40013, 40125, 48001 (and missing appid/secret): the gateway's configuration is wrong; an operator must act.</summary>
    Configuration,

    /// <summary>40001, 42001: the access_token is invalid or expired; refresh once and retry.</summary>
    InvalidToken,

    /// <summary>-1 after every retry, a timeout, a transport failure or an answer that is not WeChat's JSON.</summary>
    Unavailable,

    /// <summary>Any other errcode, or a success answer missing a field the gateway needs.</summary>
    Unexpected,
}

internal static class WeChatErrorCodes
{
    public const int SystemBusy = -1;

    public static WeChatErrorKind Classify(int errcode) => errcode switch
    {
        40029 or 40163 or 42003 or 41008 or 40030 or 42002 => WeChatErrorKind.InvalidCode,
        45011 => WeChatErrorKind.RateLimited,
        40226 => WeChatErrorKind.HighRisk,
        40013 or 40125 or 48001 or 41002 or 41004 or 40164 => WeChatErrorKind.Configuration,
        40001 or 42001 => WeChatErrorKind.InvalidToken,
        SystemBusy => WeChatErrorKind.Unavailable,
        _ => WeChatErrorKind.Unexpected,
    };
}
