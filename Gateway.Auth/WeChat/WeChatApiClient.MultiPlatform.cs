using System.Text.Json;

namespace Gateway.Auth.WeChat;

/// <summary>Multi-platform apps (多端应用): donut/code2verifyinfo.</summary>
public sealed partial class WeChatApiClient
{
    public Task<MultiPlatformVerifyInfo> Code2VerifyInfoAsync(WeChatApp app, string code, CancellationToken cancellationToken = default) =>
        GetAsync("donut/code2verifyinfo", app.AppId, [("appid", app.AppId), ("appsecret", app.Secret), ("code", code), ("grant_type", "authorization_code")], root =>
        {
            const string api = "donut/code2verifyinfo";
            if (!root.TryGetProperty("user_info", out var user) || user.ValueKind != JsonValueKind.Object)
            {
                throw Unexpected(api, "user_info");
            }

            var loginType = root.TryGetProperty("login_info", out var login) && login.ValueKind == JsonValueKind.Object ? WeChatJson.String(login, "type") : null;
            var openApp = user.TryGetProperty("openapp_info", out var info) && info.ValueKind == JsonValueKind.Object ? info : (JsonElement?)null;
            return new MultiPlatformVerifyInfo(
                Required(user, "user_id", api),
                loginType,
                openApp is { } linked ? WeChatJson.String(linked, "appid") : null,
                openApp is { } withOpenId ? WeChatJson.String(withOpenId, "openid") : null,
                openApp is { } withUnionId ? WeChatJson.String(withUnionId, "unionid") : null);
        }, cancellationToken);
}
