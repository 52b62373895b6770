using Microsoft.Extensions.Logging;

namespace Gateway.Auth.WeChat;

/// <summary>WeChat client log lines: API path and appid only, never query strings, secrets, codes or tokens.</summary>
internal static partial class WeChatLog
{
    [LoggerMessage(EventId = 4100, Message = "WeChat {Api} for app {AppId} answered errcode {Errcode} ({Kind}).")]
    public static partial void CallFailed(ILogger logger, LogLevel level, string api, string appId, int errcode, WeChatErrorKind kind);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "WeChat {Api} for app {AppId} did not answer within {Timeout}.")]
    public static partial void CallTimedOut(ILogger logger, string api, string appId, TimeSpan timeout);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "WeChat {Api} for app {AppId} failed (attempt {Attempt}, errcode {Errcode}); retrying after back-off.")]
    public static partial void Retrying(ILogger logger, string api, string appId, int attempt, int? errcode);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "WeChat {Api} for app {AppId} still failing after {Attempts} attempts (last errcode {Errcode}).")]
    public static partial void GaveUp(ILogger logger, string api, string appId, int attempts, int? errcode);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Fetched the access_token of app {AppId} (force refresh: {ForceRefresh}); cached for {Lifetime}.")]
    public static partial void AppTokenFetched(ILogger logger, string appId, bool forceRefresh, TimeSpan lifetime);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "WeChat rejected the cached access_token of app {AppId} (errcode {Errcode}); refreshing once.")]
    public static partial void AppTokenRejected(ILogger logger, string appId, int? errcode);
}
