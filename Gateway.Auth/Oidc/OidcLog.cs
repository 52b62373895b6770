using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Oidc;

/// <summary>OpenID Connect log lines: provider keys, person ids and outcome codes; never codes, tokens or secrets.</summary>
internal static partial class OidcLog
{
    [LoggerMessage(EventId = 4700, Level = LogLevel.Information, Message = "OpenID Connect provider {Provider} signed in person {PersonId} (linked: {Linked}).")]
    public static partial void SignedIn(ILogger logger, string provider, long personId, bool linked);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Information, Message = "OpenID Connect sign-in with {Provider} refused: {Code}.")]
    public static partial void Refused(ILogger logger, string provider, string code);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "The OpenID Connect handler failed with {Failure}.")]
    public static partial void ProviderFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Information, Message = "OpenID Connect provider {Provider} logged out person {PersonId} through the back channel (null: a subject unknown here).")]
    public static partial void BackChannelLogout(ILogger logger, string provider, long? personId);

    [LoggerMessage(EventId = 4704, Level = LogLevel.Warning, Message = "A back-channel logout for provider {Provider} was refused: {Code}.")]
    public static partial void BackChannelLogoutRefused(ILogger logger, string provider, string code);
}
