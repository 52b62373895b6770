using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Auth.Login;

/// <summary>A login request's JSON body, read within <c>Login:MaxRequestBodyBytes</c>.</summary>
internal sealed class LoginRequest
{
    private readonly JsonElement _root;

    private LoginRequest(JsonElement root) => _root = root;

    public static async Task<LoginRequest> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
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
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false)) > 0)
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

        if (value.ValueKind != JsonValueKind.String || ReadString(name, value) is not { Length: > 0 } text)
        {
            throw Invalid($"{name} must be a non-empty string.");
        }

        return text.Length <= maxLength ? text : throw Invalid($"{name} is longer than {maxLength} characters.");
    }

    public string Required(string name, int maxLength) => Optional(name, maxLength) ?? throw Invalid($"{name} is required.");

    /// <summary>A \u escape of a lone surrogate is valid JSON but no text: the reader refuses to decode it.</summary>
    private static string? ReadString(string name, JsonElement value)
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

    public static LoginException Invalid(string message) => new(StatusCodes.Status400BadRequest, LoginErrorCodes.InvalidRequest, message);

    private static LoginException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, LoginErrorCodes.RequestTooLarge, $"The body must be at most {maxBytes} bytes.");
}
