using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>The app-level access_token (cgi-bin/token, cgi-bin/stable_token) and the API that needs it.</summary>
public sealed partial class WeChatSandboxState
{
    /// <summary>
    /// cgi-bin/token: every fetch issues a new token and invalidates the previous one, which is why gateway
    /// instances fetching independently knock each other's tokens out (40001).
    /// </summary>
    internal ApiResult AppAccessToken(string? grantType, string? appId, string? secret)
    {
        lock (_lock)
        {
            if (CheckCredentials(appId, secret, out var app) is { } credentialError)
            {
                return Error(credentialError);
            }

            var faults = ApplyFaults(app.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (grantType != "client_credential")
            {
                return Error(WeChatError.InvalidGrantType, faults);
            }

            var (token, expiresAt) = IssueAppToken(app.AppId, stable: false);
            return Ok(AppTokenBody(token, expiresAt), faults);
        }
    }

    /// <summary>
    /// cgi-bin/stable_token: the same token while it is valid (expires_in counts down), a new one when it expired or
    /// force_refresh is true. Stable tokens and cgi-bin/token tokens are separate and do not invalidate each other.
    /// </summary>
    internal ApiResult StableAccessToken(JsonObject? request)
    {
        lock (_lock)
        {
            if (request is null)
            {
                return Error(WeChatError.DataFormatError);
            }

            if (CheckCredentials(ReadString(request, "appid"), ReadString(request, "secret"), out var app) is { } credentialError)
            {
                return Error(credentialError);
            }

            var faults = ApplyFaults(app.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (ReadString(request, "grant_type") != "client_credential")
            {
                return Error(WeChatError.InvalidGrantType, faults);
            }

            var forceRefresh = request["force_refresh"] is JsonValue force && force.TryGetValue<bool>(out var flag) && flag;
            var now = Time.GetUtcNow();
            if (!forceRefresh
                && _currentAppToken.TryGetValue((app.AppId, true), out var current)
                && _appTokens.TryGetValue(current, out var existing)
                && now < existing.ExpiresAt)
            {
                return Ok(AppTokenBody(current, existing.ExpiresAt), faults);
            }

            var (token, expiresAt) = IssueAppToken(app.AppId, stable: true);
            return Ok(AppTokenBody(token, expiresAt), faults);
        }
    }

    internal ApiResult PhoneNumber(string? accessToken, JsonObject? request)
    {
        lock (_lock)
        {
            if (CheckAppToken(accessToken, out var app) is { } tokenError)
            {
                return Error(tokenError);
            }

            var faults = ApplyFaults(app.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (request is null)
            {
                return Error(WeChatError.DataFormatError, faults);
            }

            if (CheckCode(ReadString(request, "code"), app.AppId, CodeKind.Phone, out var grant) is { } codeError)
            {
                return Error(codeError, faults);
            }

            // As WeChat: the caller's openid, when sent, must be the user the code was issued to. The code stays
            // unused, so its rightful owner can still exchange it.
            if (ReadString(request, "openid") is { } openId && openId != OpenIdOf(app.AppId, grant.UserKey))
            {
                return Error(WeChatError.InvalidOpenId, faults);
            }

            grant.Used = true;
            var user = UsersByKey[grant.UserKey];
            var phoneNumber = user.CountryCode == "86" ? user.Phone! : $"+{user.CountryCode}{user.Phone}";
            return Ok(new JsonObject
            {
                ["errcode"] = 0,
                ["errmsg"] = "ok",
                ["phone_info"] = new JsonObject
                {
                    ["phoneNumber"] = phoneNumber,
                    ["purePhoneNumber"] = user.Phone,
                    ["countryCode"] = user.CountryCode,
                    ["watermark"] = new JsonObject
                    {
                        ["timestamp"] = Time.GetUtcNow().ToUnixTimeSeconds(),
                        ["appid"] = app.AppId,
                    },
                },
            }, faults);
        }
    }

    private (string Token, DateTimeOffset ExpiresAt) IssueAppToken(string appId, bool stable)
    {
        var now = Time.GetUtcNow();
        PruneIfDue(now);
        // A replaced token that was still valid is gone (40001); one that had expired keeps answering 42001.
        if (_currentAppToken.Remove((appId, stable), out var previous)
            && _appTokens.TryGetValue(previous, out var old)
            && now < old.ExpiresAt)
        {
            _appTokens.Remove(previous);
        }

        var token = NewToken(136);
        var expiresAt = now + AccessTokenLifetime;
        _appTokens[token] = new AppToken(appId, stable, expiresAt);
        _currentAppToken[(appId, stable)] = token;
        Log.AppTokenIssued(_logger, appId, stable);
        return (token, expiresAt);
    }

    private JsonObject AppTokenBody(string token, DateTimeOffset expiresAt) => new()
    {
        ["access_token"] = token,
        ["expires_in"] = (int)Math.Ceiling((expiresAt - Time.GetUtcNow()).TotalSeconds),
    };

    private int? CheckAppToken(string? accessToken, out SandboxApp app)
    {
        app = null!;
        if (string.IsNullOrEmpty(accessToken))
        {
            return WeChatError.AccessTokenMissing;
        }

        if (!_appTokens.TryGetValue(accessToken, out var token))
        {
            return WeChatError.InvalidCredential;
        }

        if (Time.GetUtcNow() >= token.ExpiresAt)
        {
            return WeChatError.AccessTokenExpired;
        }

        app = Apps[token.AppId];
        return null;
    }

    private static string? ReadString(JsonObject request, string name) =>
        request[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
