using Microsoft.Extensions.Options;

namespace Gateway.Auth.WeChat;

/// <summary>Fails start-up with messages naming the setting; never echoes a secret.</summary>
internal sealed class WeChatOptionsValidator : IValidateOptions<WeChatOptions>
{
    private const int MaxAppKeyLength = 64;

    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        var failures = new List<string>();
        ValidateBaseUrl(failures, "ApiBaseUrl", options.ApiBaseUrl);
        ValidateBaseUrl(failures, "OpenBaseUrl", options.OpenBaseUrl);
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{WeChatOptions.SectionName}:Timeout must be greater than zero and at most one minute.");
        }

        if (options.Retry.Attempts is < 0 or > 5)
        {
            failures.Add($"{WeChatOptions.SectionName}:Retry:Attempts must be between 0 and 5.");
        }

        if (options.Retry.BaseDelay < TimeSpan.Zero || options.Retry.MaxDelay < options.Retry.BaseDelay || options.Retry.MaxDelay > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{WeChatOptions.SectionName}:Retry:BaseDelay must not be negative, and Retry:MaxDelay must be at least BaseDelay and at most 10 seconds.");
        }

        var seenAppIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, app) in options.Apps)
        {
            ValidateApp(failures, key, app, seenAppIds);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateApp(List<string> failures, string key, WeChatAppOptions app, HashSet<string> seenAppIds)
    {
        var at = $"{WeChatOptions.SectionName}:Apps:{key}";
        if (key.Length is 0 or > MaxAppKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            failures.Add($"{at}: the app key must be 1 to {MaxAppKeyLength} letters, digits, '_' or '-' (it appears in endpoint paths).");
        }

        if (app.Kind is null || !Enum.IsDefined(app.Kind.Value))
        {
            failures.Add($"{at}:Kind is required: OfficialAccount, Website, MobileApp, MiniProgram or MultiPlatform.");
        }

        if (string.IsNullOrWhiteSpace(app.AppId))
        {
            failures.Add($"{at}:AppId is required.");
        }
        else if (!seenAppIds.Add(app.AppId))
        {
            failures.Add($"{at}:AppId '{app.AppId}' is configured for more than one app key.");
        }

        var hasSecret = !string.IsNullOrEmpty(app.Secret);
        var hasFile = !string.IsNullOrEmpty(app.SecretFile);
        if (hasSecret == hasFile)
        {
            failures.Add($"{at}: exactly one of Secret and SecretFile is required.");
        }
        else if (hasFile && !SecretFileReadable(app))
        {
            failures.Add($"{at}:SecretFile '{app.SecretFile}' does not exist, cannot be read or is empty.");
        }
    }

    private static bool SecretFileReadable(WeChatAppOptions app)
    {
        try
        {
            return WeChatApps.ReadSecret(app).Length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void ValidateBaseUrl(List<string> failures, string setting, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"{WeChatOptions.SectionName}:{setting} must be an absolute http(s) URL without query, fragment or user info (a path starting with '/' means this gateway, at Login:PublicBaseUrl).");
        }
    }
}
