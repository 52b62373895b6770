using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>
/// Multi-platform apps (多端应用, Donut): donut/code2verifyinfo with its own error codes. A weixinApp login reveals the
/// user's identity in the bound mobile app (openid, and unionid when that app is bound to an open platform).
/// </summary>
public sealed partial class WeChatSandboxState
{
    /// <summary>The login types <see cref="IssueMultiPlatformLoginCode"/> accepts (wx.weixinAppLogin, wx.phoneSmsLogin).</summary>
    public static readonly IReadOnlyList<string> MultiPlatformLoginTypes = ["weixinApp", "phoneSms"];

    /// <summary>The multi-platform app's own user id for the user: stable, and different for every app.</summary>
    public string MultiPlatformUserIdOf(string appId, string userKey) => DeriveId("donut-user", appId, userKey);

    /// <summary>The code wx.weixinAppLogin (type weixinApp) or wx.phoneSmsLogin (type phoneSms) gives the app.</summary>
    public string IssueMultiPlatformLoginCode(string appId, string userKey, string type)
    {
        if (!MultiPlatformLoginTypes.Contains(type))
        {
            throw new SandboxException("invalid_type", $"Login type must be one of {string.Join(", ", MultiPlatformLoginTypes)}.");
        }

        return IssueFor(appId, userKey, SandboxAppKind.MultiPlatform, CodeKind.MultiPlatformLogin, type);
    }

    internal ApiResult Code2VerifyInfo(string? appId, string? appSecret, string? code, string? grantType)
    {
        lock (_lock)
        {
            if (string.IsNullOrEmpty(appId) || !Apps.TryGetValue(appId, out var app) || app.Kind != SandboxAppKind.MultiPlatform)
            {
                return Error(WeChatError.DonutInvalidAppId);
            }

            if (CheckCredentials(appId, appSecret, out _) is not null)
            {
                return Error(WeChatError.DonutInvalidAppSecret);
            }

            var faults = ApplyFaults(app.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (grantType != "authorization_code")
            {
                return Error(WeChatError.DonutInvalidGrantType, faults);
            }

            // Donut has no separate "used" code: a spent or unknown code is simply wrong.
            var codeError = CheckCode(code, app.AppId, CodeKind.MultiPlatformLogin, out var grant);
            if (codeError is not null)
            {
                return Error(codeError == WeChatError.CodeExpired ? WeChatError.DonutCodeExpired : WeChatError.DonutInvalidCode, faults);
            }

            grant.Used = true;
            var userInfo = new JsonObject { ["user_id"] = MultiPlatformUserIdOf(app.AppId, grant.UserKey) };
            if (grant.Scope == "weixinApp" && app.MobileApp is { Length: > 0 } mobileApp)
            {
                var openApp = new JsonObject { ["appid"] = mobileApp, ["openid"] = OpenIdOf(mobileApp, grant.UserKey) };
                if (UnionIdFor(mobileApp, grant.UserKey) is { } unionId)
                {
                    openApp["unionid"] = unionId;
                }

                userInfo["openapp_info"] = openApp;
            }

            return Ok(new JsonObject
            {
                ["errcode"] = 0,
                ["errmsg"] = "ok",
                ["login_info"] = new JsonObject { ["type"] = grant.Scope, ["login_time"] = grant.IssuedAt.ToUnixTimeSeconds() },
                ["user_info"] = userInfo,
            }, faults);
        }
    }
}
