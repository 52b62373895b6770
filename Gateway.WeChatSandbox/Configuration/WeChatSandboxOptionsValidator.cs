using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Gateway.WeChatSandbox;

/// <summary>Fails start-up with messages naming the setting, so a typo in the data set is not found mid-test.</summary>
internal sealed partial class WeChatSandboxOptionsValidator : IValidateOptions<WeChatSandboxOptions>
{
    private const string Section = WeChatSandboxOptions.SectionName;

    // Inlined into every consent page; an icon is a few kilobytes, a photo pasted by mistake is not.
    private const int MaxIconLength = 64 * 1024;

    public ValidateOptionsResult Validate(string? name, WeChatSandboxOptions options)
    {
        var failures = new List<string>();
        var appIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Apps.Count; i++)
        {
            var app = options.Apps[i];
            var at = $"{Section}:Apps:{i}";
            if (!IdentifierPattern().IsMatch(app.AppId))
            {
                failures.Add($"{at}:AppId is required and may contain only letters, digits, '_' and '-' (got '{app.AppId}').");
            }
            else if (!appIds.Add(app.AppId))
            {
                failures.Add($"{at}:AppId '{app.AppId}' is used by more than one app; appids must be unique.");
            }

            if (string.IsNullOrWhiteSpace(app.Secret))
            {
                failures.Add($"{at}:Secret is required.");
            }

            if (!Enum.IsDefined(app.Kind))
            {
                failures.Add($"{at}:Kind must be one of {string.Join(", ", Enum.GetNames<SandboxAppKind>())}.");
            }

            if (!Enum.IsDefined(app.Behaviour))
            {
                failures.Add($"{at}:Behaviour must be one of {string.Join(", ", Enum.GetNames<SandboxBehaviour>())}.");
            }

            if (app.Kind == SandboxAppKind.MultiPlatform && !string.IsNullOrEmpty(app.OpenPlatform))
            {
                failures.Add($"{at}:OpenPlatform does not apply to a MultiPlatform app: it reaches the open platform through its MobileApp.");
            }

            if (!string.IsNullOrEmpty(app.MobileApp)
                && (app.Kind != SandboxAppKind.MultiPlatform
                    || !options.Apps.Any(other => other.AppId == app.MobileApp && other.Kind == SandboxAppKind.MobileApp)))
            {
                failures.Add($"{at}:MobileApp applies only to a MultiPlatform app and must be the AppId of an app of Kind MobileApp (got '{app.MobileApp}').");
            }

            if (!string.IsNullOrEmpty(app.Icon)
                && (!app.Icon.StartsWith("data:image/", StringComparison.OrdinalIgnoreCase) || app.Icon.Length > MaxIconLength))
            {
                failures.Add($"{at}:Icon must be a data:image/... URI of at most {MaxIconLength} characters; the consent page loads nothing from elsewhere.");
            }

            foreach (var host in app.RedirectHosts)
            {
                if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
                {
                    failures.Add($"{at}:RedirectHosts contains '{host}', which is not a host name.");
                }
            }
        }

        var userKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var at = $"{Section}:Users:{i}";
            if (!UserKeyPattern().IsMatch(user.Key))
            {
                failures.Add($"{at}:Key is required and may contain only lowercase letters, digits and '-' (got '{user.Key}').");
            }
            else if (!userKeys.Add(user.Key))
            {
                failures.Add($"{at}:Key '{user.Key}' is used by more than one user; keys must be unique.");
            }

            if (string.IsNullOrEmpty(user.Nickname))
            {
                failures.Add($"{at}:Nickname is required.");
            }

            if (user.Sex is < 0 or > 2)
            {
                failures.Add($"{at}:Sex must be 0 (unknown), 1 (male) or 2 (female).");
            }

            if (!string.IsNullOrEmpty(user.Phone) && !DigitsPattern().IsMatch(user.Phone))
            {
                failures.Add($"{at}:Phone must be digits only, without the country code.");
            }

            if (!DigitsPattern().IsMatch(user.CountryCode))
            {
                failures.Add($"{at}:CountryCode must be digits only (e.g. 86).");
            }
        }

        if (!string.IsNullOrEmpty(options.SnapshotUser) && !userKeys.Contains(options.SnapshotUser))
        {
            failures.Add($"{Section}:SnapshotUser '{options.SnapshotUser}' is not the Key of any {Section}:Users entry.");
        }

        if (string.IsNullOrEmpty(options.IdentitySeed))
        {
            failures.Add($"{Section}:IdentitySeed must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex UserKeyPattern();

    [GeneratedRegex("^[0-9]{1,20}$")]
    private static partial Regex DigitsPattern();
}
