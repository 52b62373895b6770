using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Http;

internal static partial class HttpLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "A request to {Path} was refused by the HTTP layer with {StatusCode}.")]
    public static partial void BadRequest(ILogger logger, int statusCode, string path);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Error, Message = "A request to {Path} failed; the client got 500 internal_error.")]
    public static partial void Unhandled(ILogger logger, string path, Exception exception);
}
