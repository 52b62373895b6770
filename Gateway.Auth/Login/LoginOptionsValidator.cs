using Gateway.Auth.Login.Pages;
using Gateway.Auth.WeChat;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

internal sealed class LoginOptionsValidator(IOptions<WeChatOptions> weChat) : IValidateOptions<LoginOptions>
{
    private const string At = LoginOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, LoginOptions options)
    {
        var failures = new List<string>();
        var needsPublicUrl = weChat.Value.Apps.Values.Any(app => app.Kind is WeChatAppKind.OfficialAccount or WeChatAppKind.Website);
        if (options.PublicBaseUrl is { Length: > 0 } publicUrl)
        {
            if (Origins.Parse(publicUrl, allowPath: true) is null)
            {
                failures.Add($"{At}:PublicBaseUrl must be an absolute http(s) URL without query, fragment or user info.");
            }
        }
        else if (needsPublicUrl)
        {
            failures.Add($"{At}:PublicBaseUrl is required when an OfficialAccount or Website app is configured (WeChat:Apps): the OAuth redirect_uri is built from it.");
        }

        for (var i = 0; i < options.AllowedReturnOrigins.Count; i++)
        {
            if (Origins.Parse(options.AllowedReturnOrigins[i], allowPath: false) is null)
            {
                failures.Add($"{At}:AllowedReturnOrigins:{i} must be an origin: scheme://host[:port] with http or https and nothing else.");
            }
        }

        Range(failures, "StateLifetime", options.StateLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
        Range(failures, "TicketLifetime", options.TicketLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Range(failures, "CodeReplayWindow", options.CodeReplayWindow, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
        Range(failures, "SessionKeyLifetime", options.SessionKeyLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));
        Range(failures, "RateLimit:Window", options.RateLimit.Window, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (options.MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add($"{At}:MaxRequestBodyBytes must be between 1024 and 1048576.");
        }

        if (options.RateLimit.PerClientPermits < 1 || options.RateLimit.PerOpenIdPermits < 1)
        {
            failures.Add($"{At}:RateLimit:PerClientPermits and {At}:RateLimit:PerOpenIdPermits must be at least 1.");
        }

        ValidatePages(failures, options.Pages);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePages(List<string> failures, LoginPageOptions pages)
    {
        if (pages.TemplateDirectory is { Length: > 0 } directory)
        {
            if (!Directory.Exists(directory))
            {
                failures.Add($"{At}:Pages:TemplateDirectory '{directory}' is not an existing folder.");
            }
            else
            {
                try
                {
                    LoginPages.Validate(directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    failures.Add($"{At}:Pages:TemplateDirectory: {e.Message}");
                }
            }
        }

        if (pages.ErrorRedirectUrl is { Length: > 0 } redirect)
        {
            if (!IsRedirectTarget(redirect))
            {
                failures.Add($"{At}:Pages:ErrorRedirectUrl must be an absolute https URL or a path on the gateway's own origin (/...), without a fragment.");
            }

            if (pages.TemplateDirectory is { Length: > 0 })
            {
                failures.Add($"{At}:Pages:ErrorRedirectUrl and {At}:Pages:TemplateDirectory exclude each other: a failed login either redirects or shows a page.");
            }
        }
    }

    private static bool IsRedirectTarget(string url)
    {
        if (url.Contains('#', StringComparison.Ordinal) || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\'))
        {
            return false;
        }

        if (url.StartsWith('/'))
        {
            // "//host" is another origin to a browser, as is "/\\host" (backslashes are refused above).
            return !url.StartsWith("//", StringComparison.Ordinal);
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var absolute)
            && absolute.Scheme == Uri.UriSchemeHttps
            && absolute.UserInfo.Length == 0
            && absolute.Host.Length > 0;
    }

    private static void Range(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{At}:{setting} must be between {min} and {max}.");
        }
    }
}
