using Gateway.Auth.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login.Pages;

/// <summary>Where a failed browser login can be tried again from: the same flow, scope and return URL.</summary>
internal sealed record LoginRetry(string RetryUrl, string ReturnUrl);

/// <summary>
/// The page a person sees when a browser login fails, in the request's language: the built-in mobile page, the
/// operator's templates (<c>Login:Pages:TemplateDirectory</c>), or a redirect to the front end's own error screen
/// (<c>Login:Pages:ErrorRedirectUrl</c>). The page carries the code machines read (<c>data-error-code</c>).
/// </summary>
internal sealed class LoginPages(IOptions<LoginOptions> options, ClientMessages messages, IStringLocalizer<PageText> text)
{
    public const string TemplateFile = "error.html";

    private const string BuiltInResource = "Gateway.Auth.Login.Pages.error.html";

    // Operators' templates may load their brand's styles, images and fonts over https; no template runs script.
    private const string TemplatePolicy = "default-src 'none'; style-src 'unsafe-inline' https:; img-src https: data:; font-src https: data:; base-uri 'none'; form-action 'none'";

    private readonly Lazy<Templates> _templates = new(() => Load(options.Value.Pages.TemplateDirectory));

    public Task WriteErrorAsync(HttpContext context, LoginException error, LoginRetry? retry)
    {
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.Headers.CacheControl = "no-store";
        // The callback URL holds WeChat's code and the state: no link on the page may carry them away.
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (options.Value.Pages.ErrorRedirectUrl is { Length: > 0 } redirect)
        {
            response.StatusCode = StatusCodes.Status302Found;
            response.Headers.Location = RedirectTarget(redirect, error.Code, retry);
            return Task.CompletedTask;
        }

        var culture = messages.CultureOf(context);
        var language = culture.Name;
        var (template, policy) = _templates.Value.For(language);
        var values = new Dictionary<string, string>
        {
            ["lang"] = language,
            ["title"] = ClientMessages.Localize(text, culture, error.Code == LoginErrorCodes.SnapshotUser ? PageText.SnapshotTitle : PageText.ErrorTitle) ?? "",
            ["message"] = messages.In(culture, error.Code) ?? error.Message,
            ["code"] = error.Code,
            ["retryUrl"] = retry?.RetryUrl ?? "",
            ["retryLabel"] = ClientMessages.Localize(text, culture, PageText.RetryLabel) ?? "",
            ["codeLabel"] = ClientMessages.Localize(text, culture, PageText.CodeLabel) ?? "",
        };
        response.Headers.ContentSecurityPolicy = policy;
        response.Headers.ContentLanguage = language;
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(template.Render(values, retry is not null), context.RequestAborted);
    }

    /// <summary>Reads and checks the operator's templates; throws naming the file and what is wrong with it.</summary>
    public static void Validate(string directory) => Load(directory);

    private static string RedirectTarget(string redirect, string code, LoginRetry? retry)
    {
        var query = new QueryBuilder { { "code", code } };
        if (retry is not null)
        {
            query.Add("returnUrl", retry.ReturnUrl);
            query.Add("retryUrl", retry.RetryUrl);
        }

        var separator = redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return redirect + separator + query.ToQueryString().Value![1..];
    }

    private static Templates Load(string? directory)
    {
        if (directory is not { Length: > 0 })
        {
            using var stream = typeof(LoginPages).Assembly.GetManifestResourceStream(BuiltInResource)
                ?? throw new InvalidOperationException($"The built-in page {BuiltInResource} is missing from the assembly.");
            using var reader = new StreamReader(stream);
            var builtIn = PageTemplate.Parse(reader.ReadToEnd());
            var policy = $"default-src 'none'; style-src {builtIn.StyleHash}; base-uri 'none'; form-action 'none'";
            return new Templates((builtIn, policy), new Dictionary<string, (PageTemplate, string)>());
        }

        var fallback = ParseFile(Path.Combine(directory, TemplateFile));
        var byLanguage = new Dictionary<string, (PageTemplate, string)>(StringComparer.Ordinal);
        foreach (var language in GatewayLocalization.SupportedCultures)
        {
            var path = Path.Combine(directory, $"error.{language}.html");
            if (File.Exists(path))
            {
                byLanguage[language] = (ParseFile(path), TemplatePolicy);
            }
        }

        return new Templates((fallback, TemplatePolicy), byLanguage);
    }

    private static PageTemplate ParseFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} does not exist.", path);
        }

        try
        {
            return PageTemplate.Parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}.", e);
        }
    }

    private sealed record Templates((PageTemplate Template, string Policy) Fallback, IReadOnlyDictionary<string, (PageTemplate, string)> ByLanguage)
    {
        public (PageTemplate Template, string Policy) For(string language) => ByLanguage.TryGetValue(language, out var found) ? found : Fallback;
    }
}
