using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Gateway.Auth.Http;

/// <summary>
/// The outermost gateway middleware: whatever fails below it is answered as <c>{code, message}</c>. A
/// <see cref="BadHttpRequestException"/> (a stalled or broken body) keeps its status; any other exception is a
/// 500 whose text only the log sees, in every environment, so no error page ever echoes the request's cookies or
/// Authorization. A status without a body (routing's 405, a 404) gets the same shape. Proxied responses are the
/// destination's and pass untouched.
/// </summary>
internal sealed class ErrorShapeMiddleware(RequestDelegate next, ILogger<ErrorShapeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            HttpLog.BadRequest(logger, e.StatusCode, context.Request.Path.Value ?? "");
            await WriteAsync(context, e.StatusCode);
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            HttpLog.Unhandled(logger, context.Request.Path.Value ?? "", e);
            await WriteAsync(context, StatusCodes.Status500InternalServerError);
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentType is null && response.ContentLength is null or 0
            && context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is null)
        {
            await WriteAsync(context, response.StatusCode);
        }
    }

    private static Task WriteAsync(HttpContext context, int statusCode)
    {
        context.Response.Clear();
        var (code, message) = ClientErrors.Describe(statusCode);
        return ErrorResponse.WriteAsync(context, statusCode, code, message);
    }
}
