namespace Gateway.WeChatSandbox;

/// <summary>The sandbox's log events. Appids and scopes only: never secrets, codes, tokens or session keys.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Sandbox fault injected errcode {Errcode} for app {AppId}")]
    public static partial void FaultInjected(ILogger logger, string appId, int errcode);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Debug, Message = "Sandbox exchanged an authorization code for app {AppId} with scope {Scope}")]
    public static partial void CodeExchanged(ILogger logger, string appId, string scope);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Debug, Message = "Sandbox started a mini program session for app {AppId}")]
    public static partial void SessionStarted(ILogger logger, string appId);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Debug, Message = "Sandbox issued an app access token for app {AppId} (stable: {Stable})")]
    public static partial void AppTokenIssued(ILogger logger, string appId, bool stable);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Information, Message = "Sandbox consent for app {AppId}: {Decision}")]
    public static partial void ConsentDecided(ILogger logger, string appId, string decision);

    [LoggerMessage(EventId = 9107, Level = LogLevel.Information, Message = "Sandbox reset a user's session key for app {AppId}")]
    public static partial void SessionKeyReset(ILogger logger, string appId);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Information, Message = "Sandbox rejected an authorization request: {Code}")]
    public static partial void AuthorizeRejected(ILogger logger, string code);
}
