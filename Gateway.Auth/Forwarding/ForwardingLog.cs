using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Forwarding;

internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 8102, Level = LogLevel.Warning, Message = "Route '{RouteId}' sets its policy in Metadata.AuthPolicy; move it to the route's AuthorizationPolicy field (the old key is read for now).")]
    public static partial void LegacyAuthPolicy(ILogger logger, string routeId);
}
