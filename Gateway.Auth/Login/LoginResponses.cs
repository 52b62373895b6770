using Gateway.Auth.Http;
using Gateway.Auth.Login.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Gateway.Auth.Login;

/// <summary>How login endpoints answer: JSON for API clients, a page (or JSON on request) for browsers.</summary>
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

    /// <summary>A page a person reads (<see cref="LoginPages"/>); JSON when the client asks for JSON only.</summary>
    public static Task ErrorPageAsync(HttpContext context, LoginException error, LoginRetry? retry)
    {
        if (WantsJson(context.Request))
        {
            return ErrorJsonAsync(context, error);
        }

        SetRetryAfter(context, error);
        return context.RequestServices.GetRequiredService<LoginPages>().WriteErrorAsync(context, error, retry);
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
