using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Http;

/// <summary>
/// The one error shape every gateway-generated response uses: a machine-readable <c>code</c> clients branch on
/// and a <c>message</c> for the end user, in the request's language (<see cref="ClientMessages"/>). <c>detail</c>,
/// when present, is English for the developer and may change between versions. Never carries secrets or upstream
/// details.
/// </summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null)
{
    /// <summary>Writes the error for <paramref name="code"/>; <paramref name="developerText"/> says what the call site saw.</summary>
    public static Task WriteAsync(HttpContext context, int statusCode, string code, string developerText)
    {
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(Localized(context, code, developerText), GatewayJsonContext.Readable.ErrorResponse);
    }

    /// <summary>The same error as an endpoint result, localized when it executes.</summary>
    public static IResult Result(int statusCode, string code, string developerText) => new ErrorResult(statusCode, code, developerText);

    private static ErrorResponse Localized(HttpContext context, string code, string developerText) =>
        context.RequestServices.GetService<ClientMessages>()?.Describe(context, code, developerText) ?? new ErrorResponse(code, developerText);

    private sealed class ErrorResult(int statusCode, string code, string developerText) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, statusCode, code, developerText);
    }
}
