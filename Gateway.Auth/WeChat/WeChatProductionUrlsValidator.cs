using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.WeChat;

/// <summary>
/// In the Production environment the AppSecret and users' codes go only to an https WeChat: a relative base URL
/// (<c>/_sandbox/wechat</c>, the embedded default's sandbox on this gateway) or plain http is refused unless
/// <c>WeChat:TestDeployment</c> is true. The configured value is read as written, before a relative one is
/// resolved against <c>Login:PublicBaseUrl</c>.
/// </summary>
internal sealed class WeChatProductionUrlsValidator(IConfiguration configuration, IHostEnvironment? environment) : IValidateOptions<WeChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        if (environment?.IsProduction() != true || options.TestDeployment)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        Check(failures, nameof(WeChatOptions.ApiBaseUrl), options.ApiBaseUrl);
        Check(failures, nameof(WeChatOptions.OpenBaseUrl), options.OpenBaseUrl);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void Check(List<string> failures, string setting, string resolved)
    {
        var key = WeChatOptions.SectionName + ":" + setting;
        var written = configuration[key] ?? resolved;
        if (written.StartsWith('/') || !resolved.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{key} is '{written}', which the Production environment refuses: it must be an absolute https URL " +
                $"(WeChat's own, e.g. https://api.weixin.qq.com). On a test deployment that talks to a WeChat sandbox, set {WeChatOptions.SectionName}:{nameof(WeChatOptions.TestDeployment)}=true.");
        }
    }
}
