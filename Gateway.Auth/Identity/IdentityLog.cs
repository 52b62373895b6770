using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Created person {PersonId} (unionid known: {HasUnionId}).")]
    public static partial void PersonCreated(ILogger logger, long personId, bool hasUnionId);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Back-filled the unionid of person {PersonId}.")]
    public static partial void UnionIdBackfilled(ILogger logger, long personId);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Merged person {MergedId} into person {SurvivorId}, which holds the same unionid.")]
    public static partial void PersonsMerged(ILogger logger, long mergedId, long survivorId);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Debug, Message = "Identity resolution lost a race (attempt {Attempt}); retrying.")]
    public static partial void RetryingAfterConflict(ILogger logger, int attempt);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Error, Message = "The openid of app {AppId} belongs to person {PersonId}, which holds a different unionid than this login.")]
    public static partial void UnionIdConflict(ILogger logger, string appId, long personId);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "Person {PersonId} {Action} through the management surface.")]
    public static partial void PersonStatusChanged(ILogger logger, long personId, string action);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Error, Message = "A person-disabled listener failed for person {PersonId}.")]
    public static partial void DisabledListenerFailed(ILogger logger, long personId, Exception exception);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Error, Message = "A person-forgotten listener failed for person {PersonId}.")]
    public static partial void ForgottenListenerFailed(ILogger logger, long personId, Exception exception);

    /// <summary>The audit line of a PIPL erasure or anonymisation (category <c>Gateway.Audit</c>): never an openid or unionid.</summary>
    [LoggerMessage(EventId = 3208, Level = LogLevel.Warning, Message = "AUDIT: person {PersonId} {Action} ({Outcome}) through the management API by {Caller}, trace {TraceId}.")]
    public static partial void PersonForgotten(ILogger logger, long personId, string action, string outcome, string caller, string traceId);
}
