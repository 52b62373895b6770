using Gateway.Auth.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Login;

/// <summary>
/// A relative <c>WeChat:ApiBaseUrl</c> or <c>WeChat:OpenBaseUrl</c> (e.g. <c>/_sandbox/wechat</c>) means "on this
/// gateway", resolved against <c>Login:PublicBaseUrl</c>: the embedded default then needs its address in one place.
/// Reads the setting from configuration, not LoginOptions, whose validator depends on WeChatOptions.
/// </summary>
internal sealed class WeChatBaseUrlsSetup(IConfiguration configuration) : IPostConfigureOptions<WeChatOptions>
{
    public void PostConfigure(string? name, WeChatOptions options)
    {
        options.ApiBaseUrl = Resolve(options.ApiBaseUrl);
        options.OpenBaseUrl = Resolve(options.OpenBaseUrl);
    }

    private string Resolve(string value) =>
        value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal)
        && configuration[LoginOptions.SectionName + ":" + nameof(LoginOptions.PublicBaseUrl)] is { Length: > 0 } publicUrl && Origins.Parse(publicUrl, allowPath: true) is not null
            ? publicUrl.TrimEnd('/') + value
            : value;
}
