using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>
/// session_key health (wxa/checksession, wxa/resetusersessionkey) and the opaque lifetime WeChat gives session keys,
/// which a test triggers with <see cref="ExpireSessionKey"/>.
/// </summary>
public sealed partial class WeChatSandboxState
{
    /// <summary>wxa/checksession: errcode 0 when <paramref name="signature"/> = hmac_sha256(current session_key, ""), else 87009.</summary>
    internal ApiResult CheckSession(string? accessToken, string? openId, string? signature, string? sigMethod)
    {
        lock (_lock)
        {
            if (CheckSessionRequest(accessToken, openId, signature, sigMethod, out _, out _, out var faults) is { } error)
            {
                return error;
            }

            return Ok(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" }, faults);
        }
    }

    /// <summary>wxa/resetusersessionkey: the same checks as checksession, then a new session_key replaces the current one.</summary>
    internal ApiResult ResetUserSessionKey(string? accessToken, string? openId, string? signature, string? sigMethod)
    {
        lock (_lock)
        {
            if (CheckSessionRequest(accessToken, openId, signature, sigMethod, out var app, out var userKey, out var faults) is { } error)
            {
                return error;
            }

            var sessionKey = NewSessionKey();
            _sessionKeys[(app.AppId, userKey)] = sessionKey;
            Log.SessionKeyReset(_logger, app.AppId);
            return Ok(new JsonObject
            {
                ["errcode"] = 0,
                ["errmsg"] = "ok",
                ["openid"] = openId,
                ["session_key"] = sessionKey,
            }, faults);
        }
    }

    /// <summary>
    /// WeChat retires a session_key when it likes; afterwards the user's data is encrypted with a key the server
    /// never saw, and wxa/checksession answers 87009 for the old one.
    /// </summary>
    public void ExpireSessionKey(string appId, string userKey)
    {
        RequireKind(appId, SandboxAppKind.MiniProgram);
        RequireUser(userKey);
        lock (_lock)
        {
            if (!_sessionKeys.ContainsKey((appId, userKey)))
            {
                throw new SandboxException("no_session", $"User '{userKey}' has no session with '{appId}' to expire.", StatusCodes.Status409Conflict);
            }

            _sessionKeys[(appId, userKey)] = NewSessionKey();
        }
    }

    /// <summary>The caller holds the lock.</summary>
    private ApiResult? CheckSessionRequest(string? accessToken, string? openId, string? signature, string? sigMethod, out SandboxApp app, out string userKey, out FaultOutcome faults)
    {
        userKey = "";
        faults = default;
        if (CheckAppToken(accessToken, out app) is { } tokenError)
        {
            return Error(tokenError);
        }

        faults = ApplyFaults(app.AppId);
        if (faults.Errcode is { } injected)
        {
            return Error(injected, faults);
        }

        if (app.Kind != SandboxAppKind.MiniProgram)
        {
            return Error(WeChatError.ApiUnauthorized, faults);
        }

        if (string.IsNullOrEmpty(openId))
        {
            return Error(WeChatError.OpenIdMissing, faults);
        }

        var appId = app.AppId;
        var user = Users.FirstOrDefault(u => OpenIdOf(appId, u.Key) == openId);
        if (user is null)
        {
            return Error(WeChatError.InvalidOpenId, faults);
        }

        userKey = user.Key;
        if (sigMethod != "hmac_sha256" || string.IsNullOrEmpty(signature)
            || !_sessionKeys.TryGetValue((appId, user.Key), out var current)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(SessionSignature(current))))
        {
            return Error(WeChatError.InvalidSignature, faults);
        }

        return null;
    }

    /// <summary>hmac_sha256 keyed with the session_key string as given, over the empty string, in lowercase hex.</summary>
    internal static string SessionSignature(string sessionKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sessionKey), Array.Empty<byte>()));
}
