using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Forwarding;

internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "A proxied request presented a session that could not be checked: the session store is unavailable.")]
    public static partial void SessionStoreUnavailable(ILogger logger, Exception exception);
}
