using Microsoft.Extensions.Logging;

namespace Gateway.IdentityAssertions;

/// <summary>Never logs the assertion itself: it is a bearer credential for its lifetime.</summary>
internal static partial class VerificationLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Identity assertion refused ({Reason}) for {Method} {Path}.")]
    public static partial void AssertionRefused(ILogger logger, string reason, string method, string path);
}
