using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Signing;

internal static partial class SigningLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Signing keys reloaded: HS256 signs with '{Hs256ActiveKeyId}' (keys: {Hs256KeyIds}), ES256 with '{Es256ActiveKeyId}' (keys: {Es256KeyIds}).")]
    public static partial void Reloaded(ILogger logger, string hs256ActiveKeyId, string hs256KeyIds, string es256ActiveKeyId, string es256KeyIds);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Signing key change refused; assertions are still signed with the previous keys. {Errors}")]
    public static partial void ReloadRefused(ILogger logger, string errors);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "File change notifications are unavailable for '{Directory}' ({Reason}); its key files are polled instead.")]
    public static partial void PollingKeyFiles(ILogger logger, string directory, string reason);
}
