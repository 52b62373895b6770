using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>
/// Writes an answer the way WeChat does: always HTTP 200, UTF-8 JSON with Chinese text unescaped, and for some
/// sns endpoints the <c>text/plain</c> content type WeChat really sends (clients must not insist on application/json).
/// </summary>
internal sealed class WeChatJsonResult(ApiResult result, TimeProvider time, bool textPlain = false) : IResult
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        if (result.Latency > TimeSpan.Zero)
        {
            await Task.Delay(result.Latency, time, httpContext.RequestAborted);
        }

        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = textPlain ? "text/plain" : "application/json; encoding=utf-8";
        await httpContext.Response.WriteAsync(result.Body.ToJsonString(Json), httpContext.RequestAborted);
    }

    /// <summary>Reads a JSON object body; anything else (empty, malformed, not an object) is null, answered 47001.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
