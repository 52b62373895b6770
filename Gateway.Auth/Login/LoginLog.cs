using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Login;

/// <summary>Login log lines: app ids, person ids and codes of outcomes; never codes, tickets, tokens or session keys.</summary>
internal static partial class LoginLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Error, Message = "OPERATOR ACTION NEEDED: WeChat {Api} refused the gateway's app configuration (errcode {Errcode}). Check WeChat:Apps (AppId, Secret, scopes, IP allow-list).")]
    public static partial void WeChatMisconfigured(ILogger logger, string api, int? errcode);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Error, Message = "WeChat {Api} answered something unusable (errcode {Errcode}): {Reason}")]
    public static partial void WeChatUnexpected(ILogger logger, string api, int? errcode, string reason);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "A login could not use the identity database or the ephemeral store.")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Login via {Channel} app {AppId} signed in person {PersonId}.")]
    public static partial void SignedIn(ILogger logger, string channel, string appId, long personId);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Login refused on {Path}: {Code}.")]
    public static partial void Refused(ILogger logger, string path, string code);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, Message = "Repeated OAuth callback for app {AppId} served from the first exchange.")]
    public static partial void RepeatedCallbackServed(ILogger logger, string appId);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Information, Message = "Attached a phone number to person {PersonId}.")]
    public static partial void PhoneAttached(ILogger logger, long personId);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Warning, Message = "AUDIT: management reset the WeChat session_key of a user of app {AppId} (person {PersonId}) through wxa/resetusersessionkey.")]
    public static partial void SessionKeyReset(ILogger logger, string appId, long? personId);
}
