using Gateway.Auth.Http;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Auth.Forwarding;

/// <summary>
/// Gives every failed forward a small JSON body. YARP sets the status (502, 504, ...) but no body, and clients
/// of a gateway need a code to branch on.
/// </summary>
internal static class ForwarderErrorResponses
{
    public static async Task WriteOnFailure(HttpContext context, Func<Task> next)
    {
        await next();

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var (status, code, message) = error.Error switch
        {
            ForwarderError.RequestBodyClient when IsBodyTooLarge(error.Exception) =>
                (StatusCodes.Status413PayloadTooLarge, "request_too_large", "The request body is larger than this gateway accepts."),
            ForwarderError.RequestTimedOut =>
                (StatusCodes.Status504GatewayTimeout, "destination_timeout", "The destination did not answer in time."),
            ForwarderError.NoAvailableDestinations =>
                (StatusCodes.Status503ServiceUnavailable, "no_destination", "The route has no healthy destination."),
            ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled =>
                (StatusCodes.Status400BadRequest, "bad_request_body", "The request body could not be read."),
            _ when context.Response.StatusCode == StatusCodes.Status504GatewayTimeout =>
                (StatusCodes.Status504GatewayTimeout, "destination_timeout", "The destination did not answer in time."),
            _ => (StatusCodes.Status502BadGateway, "destination_unavailable", "The destination could not be reached or failed to answer."),
        };

        await ErrorResponse.WriteAsync(context, status, code, message);
    }

    private static bool IsBodyTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }
}
