using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Http;

/// <summary>The code and message for an error status the HTTP layer or routing raised without a body of its own.</summary>
public static class ClientErrors
{
    public const string InternalError = "internal_error";

    public static (string Code, string Message) Describe(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => ("bad_request_body", "The request could not be read."),
        StatusCodes.Status401Unauthorized => ("unauthorized", "This request needs credentials."),
        StatusCodes.Status403Forbidden => ("forbidden", "This request is not allowed."),
        StatusCodes.Status404NotFound => ("route_not_found", "No route serves this path."),
        StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", "This endpoint does not take this HTTP method."),
        StatusCodes.Status408RequestTimeout => ("request_timeout", "The request body did not arrive in time."),
        StatusCodes.Status411LengthRequired => ("length_required", "The request needs a Content-Length or a chunked body."),
        StatusCodes.Status413PayloadTooLarge => ("request_too_large", "The request body is larger than this gateway accepts."),
        StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "This endpoint does not take this Content-Type."),
        StatusCodes.Status431RequestHeaderFieldsTooLarge => ("request_headers_too_large", "The request headers are larger than this gateway accepts."),
        >= 500 => (InternalError, "The gateway could not handle this request; the operators have been told."),
        _ => ("bad_request", "The request was refused."),
    };
}
