using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Sessions;

/// <summary>Never logs a token or its hash: either would let a reader of the logs find or use the session.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Session issued for person {PersonId} ({Channel}, {Transport}).")]
    public static partial void SessionIssued(ILogger logger, long personId, string channel, SessionTransport transport);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Session of person {PersonId} ended by logout.")]
    public static partial void SessionEnded(ILogger logger, long personId);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Every session of person {PersonId} revoked ({Reason}).")]
    public static partial void PersonSessionsRevoked(ILogger logger, long personId, string reason);

    // Debug, without the exception: the store logs the outage once (OutageLog), not once per request.
    [LoggerMessage(EventId = 8004, Level = LogLevel.Debug, Message = "Session check failed: the session store is unavailable ({Reason}).")]
    public static partial void StoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Cross-site {Path} refused.")]
    public static partial void CrossSiteRefused(ILogger logger, string path);
}
