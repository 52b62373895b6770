using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Gateway.Auth.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Auth.Login;

/// <summary>A login request's JSON body, read within <c>Login:MaxRequestBodyBytes</c>.</summary>
internal sealed class LoginRequest
{
    private readonly JsonElement _root;

    private LoginRequest(JsonElement root) => _root = root;

    public static async Task<LoginRequest> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            // A cross-site HTML form can send text/plain or form encodings without a preflight; JSON it cannot.
            throw new LoginException(StatusCodes.Status415UnsupportedMediaType, LoginErrorCodes.UnsupportedMediaType, "The body must be sent as Content-Type: application/json (UTF-8).");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        var buffer = new byte[maxBytes + 1];
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (BadHttpRequestException e)
        {
            var (code, message) = ClientErrors.Describe(e.StatusCode);
            throw new LoginException(e.StatusCode, code, message);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return new LoginRequest(document.RootElement.Clone());
            }
        }
        catch (JsonException)
        {
            // Answered below, without echoing the parser's view of the body.
        }

        throw Invalid("The body must be a JSON object.");
    }

    /// <summary>A string field; null when absent and optional.</summary>
    public string? Optional(string name, int maxLength)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || Text(value, name) is not { Length: > 0 } text)
        {
            throw Invalid($"{name} must be a non-empty string.");
        }

        return text.Length <= maxLength ? text : throw Invalid($"{name} is longer than {maxLength} characters.");
    }

    public string Required(string name, int maxLength) => Optional(name, maxLength) ?? throw Invalid($"{name} is required.");

    /// <summary>
    /// The parser accepts lone surrogate escapes (<c>\ud800</c>) and invalid UTF-8 inside strings; only turning
    /// them into .NET text fails.
    /// </summary>
    private static string? Text(JsonElement value, string name)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw Invalid($"{name} is not valid Unicode text.");
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>A query parameter given at most once; empty counts as absent, a repeat is refused.</summary>
    public static string? Single(IQueryCollection query, string name)
    {
        var values = query[name];
        return values.Count switch
        {
            0 => null,
            1 => string.IsNullOrEmpty(values[0]) ? null : values[0],
            _ => throw Invalid($"{name} is given more than once."),
        };
    }

    public static LoginException Invalid(string message) => new(StatusCodes.Status400BadRequest, LoginErrorCodes.InvalidRequest, message);

    private static LoginException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, LoginErrorCodes.RequestTooLarge, $"The body must be at most {maxBytes} bytes.");
}
