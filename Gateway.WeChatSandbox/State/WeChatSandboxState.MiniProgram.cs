using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>The Mini Program login API: sns/jscode2session, which rotates the user's session_key.</summary>
public sealed partial class WeChatSandboxState
{
    internal ApiResult JsCode2Session(string? appId, string? secret, string? jsCode, string? grantType)
    {
        lock (_lock)
        {
            if (CheckCredentials(appId, secret, out var app) is { } credentialError)
            {
                return Error(credentialError);
            }

            if (app.Kind != SandboxAppKind.MiniProgram)
            {
                return Error(WeChatError.InvalidAppId);
            }

            if (RedeemCode(app.AppId, jsCode, grantType, CodeKind.MiniProgramLogin, out var grant, out var faults) is { } redeemError)
            {
                return redeemError;
            }

            var sessionKey = NewSessionKey();
            _sessionKeys[(app.AppId, grant.UserKey)] = sessionKey;
            Log.SessionStarted(_logger, app.AppId);

            var body = new JsonObject
            {
                ["session_key"] = sessionKey,
                ["openid"] = OpenIdOf(app.AppId, grant.UserKey),
            };
            if (app.Behaviour == SandboxBehaviour.WeChat2026 && UnionIdFor(app.AppId, grant.UserKey) is { } unionId)
            {
                body["unionid"] = unionId;
            }

            return Ok(body, faults);
        }
    }
}
