using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Storage.Ephemeral;

/// <summary>
/// Every log line of the ephemeral store. Keys will hold session ids and values hold secrets, so no message takes
/// either: operations are named, keys and values never are.
/// </summary>
internal static partial class EphemeralStoreLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Error,
        Message = "A subscriber of ephemeral channel {Channel} failed; delivery to it continues.")]
    public static partial void SubscriberFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug,
        Message = "Ephemeral store operation {Operation} failed: {Failure}.")]
    public static partial void OperationFailed(ILogger logger, string operation, string failure);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Lost the Redis connection to {EndPoint} ({FailureType}); reconnecting in the background.")]
    public static partial void ConnectionFailed(ILogger logger, string? endPoint, string failureType);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information,
        Message = "Redis connection to {EndPoint} restored.")]
    public static partial void ConnectionRestored(ILogger logger, string? endPoint);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning,
        Message = "Ephemeral store operation {Operation} failed: {Failure}. Later failures are counted, not logged one by one, until Redis answers again.")]
    public static partial void OutageStarted(ILogger logger, string operation, string failure);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning,
        Message = "Could not unsubscribe from ephemeral channel {Channel} on Redis; local delivery has stopped.")]
    public static partial void UnsubscribeFailed(ILogger logger, string channel);
}
