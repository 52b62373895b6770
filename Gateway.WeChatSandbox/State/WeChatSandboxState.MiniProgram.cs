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

            var faults = ApplyFaults(app.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (grantType != "authorization_code")
            {
                return Error(WeChatError.InvalidGrantType, faults);
            }

            if (CheckCode(jsCode, app.AppId, CodeKind.MiniProgramLogin, out var grant) is { } codeError)
            {
                return Error(codeError, faults);
            }

            if (IsHighRisk(app.AppId, grant.UserKey))
            {
                return Error(WeChatError.HighRiskUser, faults);
            }

            grant.Used = true;
            var sessionKey = NewSessionKey();
            _sessionKeys[(app.AppId, grant.UserKey)] = sessionKey;
            Log.SessionStarted(_logger, app.AppId);

            var body = new JsonObject
            {
                ["session_key"] = sessionKey,
                ["openid"] = OpenIdOf(app.AppId, grant.UserKey),
            };
            if (app.UnionIdInCode2Session && UnionIdFor(app.AppId, grant.UserKey) is { } unionId)
            {
                body["unionid"] = unionId;
            }

            return Ok(body, faults);
        }
    }
}
