using System.Text.Json.Serialization;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Http;

/// <summary>
/// The one error shape every gateway-generated response uses: a machine-readable <c>code</c> clients branch on
/// and a <c>message</c> for the end user, in the request's language (<see cref="ClientMessages"/>). <c>detail</c>,
/// when present, is English for the developer and may change between versions. Never carries secrets or upstream
/// details. <c>traceId</c> is the request's W3C trace id, the one in the access log and the traces, so a client's
/// report leads an operator to the request.
/// </summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonPropertyName("traceId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId = null)
{
    /// <summary>Writes the error for <paramref name="code"/>; <paramref name="developerText"/> says what the call site saw.</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string code, string developerText)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        var body = Localized(context, code, developerText) with { TraceId = TraceIds.Of(context) };
        return context.Response.WriteAsJsonAsync(body, GatewayJsonContext.Readable.ErrorResponse);
    }

    /// <summary>The same error as an endpoint result, localized when it executes.</summary>
    public static IResult Result(int statusCode, string code, string developerText) => new ErrorResult(statusCode, code, developerText);

    private static ErrorResponse Localized(HttpContext context, string code, string developerText) =>
        context.RequestServices.GetService<ClientMessages>()?.Describe(context, code, developerText) ?? new ErrorResponse(code, developerText);

    private sealed class ErrorResult(int statusCode, string code, string developerText) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => statusCode;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, statusCode, code, developerText);
    }
}
