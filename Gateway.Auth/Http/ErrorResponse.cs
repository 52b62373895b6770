using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Auth.Http;

/// <summary>
/// The one error shape every gateway-generated response uses: a machine-readable <c>code</c> clients branch on
/// and a human-readable <c>message</c>. Never carries secrets or upstream details.
/// </summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message)
{
    public static Task WriteAsync(HttpContext context, int statusCode, string code, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new ErrorResponse(code, message), GatewayJsonContext.Default.ErrorResponse);
    }

    public static IResult Result(int statusCode, string code, string message) =>
        Results.Json(new ErrorResponse(code, message), GatewayJsonContext.Default.ErrorResponse, statusCode: statusCode);
}
