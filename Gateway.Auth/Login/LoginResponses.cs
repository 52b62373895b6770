using System.Text.Encodings.Web;
using Gateway.Auth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Auth.Login;

/// <summary>How login endpoints answer: JSON for API clients, a small HTML page (or JSON on request) for browsers.</summary>
internal static class LoginResponses
{
    public static Task JsonAsync<T>(HttpContext context, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, type, cancellationToken: context.RequestAborted);
    }

    public static Task ErrorJsonAsync(HttpContext context, LoginException error)
    {
        SetRetryAfter(context, error);
        return ErrorResponse.WriteAsync(context, error.StatusCode, error.Code, error.Message);
    }

    /// <summary>
    /// A page a person reads, carrying the code machines read (<c>data-error-code</c>); JSON when the client asks
    /// for JSON only. Everything echoed is HTML-encoded.
    /// </summary>
    public static async Task ErrorPageAsync(HttpContext context, LoginException error, string? retryUrl)
    {
        if (WantsJson(context.Request))
        {
            await ErrorJsonAsync(context, error).ConfigureAwait(false);
            return;
        }

        SetRetryAfter(context, error);
        var html = HtmlEncoder.Default;
        var retry = retryUrl is null ? "" : $"\n<p><a id=\"retry\" href=\"{html.Encode(retryUrl)}\">Try again</a></p>";
        context.Response.StatusCode = error.StatusCode;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            $"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in did not complete</title></head>\n<body>\n" +
            $"<main data-error-code=\"{html.Encode(error.Code)}\">\n<h1>Sign-in did not complete</h1>\n<p id=\"message\">{html.Encode(error.Message)}</p>\n" +
            $"<p>Code: <code id=\"code\">{html.Encode(error.Code)}</code></p>{retry}\n</main>\n</body></html>\n",
            context.RequestAborted).ConfigureAwait(false);
    }

    private static bool WantsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && !accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static void SetRetryAfter(HttpContext context, LoginException error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
