using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.WeChatSandbox;

/// <summary>The web and APP login APIs: sns/oauth2/*, sns/userinfo and sns/auth.</summary>
public sealed partial class WeChatSandboxState
{
    internal ApiResult ExchangeOAuthCode(string? appId, string? secret, string? code, string? grantType)
    {
        lock (_lock)
        {
            if (CheckCredentials(appId, secret, out var app) is { } credentialError)
            {
                return Error(credentialError);
            }

            if (app.Kind is SandboxAppKind.MiniProgram or SandboxAppKind.MultiPlatform)
            {
                return Error(WeChatError.InvalidAppId);
            }

            if (RedeemCode(app.AppId, code, grantType, CodeKind.OAuth, out var grant, out var faults) is { } redeemError)
            {
                return redeemError;
            }

            var now = Time.GetUtcNow();
            var accessToken = NewToken(110);
            var refreshToken = NewToken(110);
            _snsTokens[accessToken] = new SnsGrant(app.AppId, grant.UserKey, grant.Scope, now + AccessTokenLifetime);
            _refreshTokens[refreshToken] = new SnsGrant(app.AppId, grant.UserKey, grant.Scope, now + RefreshTokenLifetime);
            Log.CodeExchanged(_logger, app.AppId, grant.Scope);

            if (grant.Scope == "snsapi_userinfo")
            {
                _userInfoGrants.Add((app.AppId, grant.UserKey));
            }

            var body = TokenBody(accessToken, refreshToken, app, grant.UserKey, grant.Scope);
            if (app.Kind == SandboxAppKind.OfficialAccount && grant.UserKey == SnapshotUser)
            {
                body["is_snapshotuser"] = 1;
            }

            return Ok(body, faults);
        }
    }

    internal ApiResult RefreshSnsToken(string? appId, string? grantType, string? refreshToken)
    {
        lock (_lock)
        {
            if (string.IsNullOrEmpty(appId))
            {
                return Error(WeChatError.AppIdMissing);
            }

            if (!Apps.TryGetValue(appId, out var app) || app.Kind is SandboxAppKind.MiniProgram or SandboxAppKind.MultiPlatform)
            {
                return Error(WeChatError.InvalidAppId);
            }

            var faults = ApplyFaults(app.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (grantType != "refresh_token")
            {
                return Error(WeChatError.InvalidGrantType, faults);
            }

            if (string.IsNullOrEmpty(refreshToken) || !_refreshTokens.TryGetValue(refreshToken, out var grant) || grant.AppId != app.AppId)
            {
                return Error(WeChatError.InvalidRefreshToken, faults);
            }

            var now = Time.GetUtcNow();
            if (now >= grant.ExpiresAt)
            {
                return Error(WeChatError.RefreshTokenExpired, faults);
            }

            var accessToken = NewToken(110);
            _snsTokens[accessToken] = new SnsGrant(app.AppId, grant.UserKey, grant.Scope, now + AccessTokenLifetime);
            return Ok(TokenBody(accessToken, refreshToken, app, grant.UserKey, grant.Scope, includeUnionId: false), faults);
        }
    }

    internal ApiResult UserInfo(string? accessToken, string? openId)
    {
        lock (_lock)
        {
            if (CheckSnsToken(accessToken, openId, out var grant) is { } tokenError)
            {
                return Error(tokenError);
            }

            var faults = ApplyFaults(grant.AppId);
            if (faults.Errcode is { } injected)
            {
                return Error(injected, faults);
            }

            if (grant.Scope == "snsapi_base")
            {
                return Error(WeChatError.ApiUnauthorized, faults);
            }

            var user = UsersByKey[grant.UserKey];
            // Since 2021-10 no login reveals gender or region; nickname and avatar still follow the explicit consent.
            var legacy = Apps[grant.AppId].Behaviour == SandboxBehaviour.Legacy;
            var body = new JsonObject
            {
                ["openid"] = OpenIdOf(grant.AppId, grant.UserKey),
                ["nickname"] = user.Nickname,
                ["sex"] = legacy ? user.Sex : 0,
                ["language"] = user.Language,
                ["city"] = legacy ? user.City : "",
                ["province"] = legacy ? user.Province : "",
                ["country"] = legacy ? user.Country : "",
                ["headimgurl"] = user.HeadImgUrl,
                ["privilege"] = new JsonArray(),
            };
            if (UnionIdFor(grant.AppId, grant.UserKey) is { } unionId)
            {
                body["unionid"] = unionId;
            }

            return Ok(body, faults);
        }
    }

    internal ApiResult Auth(string? accessToken, string? openId)
    {
        lock (_lock)
        {
            if (CheckSnsToken(accessToken, openId, out var grant) is { } tokenError)
            {
                return Error(tokenError);
            }

            var faults = ApplyFaults(grant.AppId);
            return faults.Errcode is { } injected
                ? Error(injected, faults)
                : Ok(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" }, faults);
        }
    }

    private JsonObject TokenBody(string accessToken, string refreshToken, SandboxApp app, string userKey, string scope, bool includeUnionId = true)
    {
        var body = new JsonObject
        {
            ["access_token"] = accessToken,
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["refresh_token"] = refreshToken,
            ["openid"] = OpenIdOf(app.AppId, userKey),
            ["scope"] = scope,
        };
        // snsapi_base reveals the unionid only to an app the user once granted snsapi_userinfo, as WeChat does in practice.
        var revealed = scope != "snsapi_base" || _userInfoGrants.Contains((app.AppId, userKey));
        if (includeUnionId && revealed && UnionIdFor(app.AppId, userKey) is { } unionId)
        {
            body["unionid"] = unionId;
        }

        return body;
    }

    /// <summary>The unionid WeChat reveals in an answer: none for unbound apps, and none for the snapshot user.</summary>
    private string? UnionIdFor(string appId, string userKey) => userKey == SnapshotUser ? null : UnionIdOf(appId, userKey);

    private bool IsHighRisk(string appId, string userKey) =>
        _faults.TryGetValue(appId, out var faults) && faults.IsHighRisk(userKey);

    private int? CheckCredentials(string? appId, string? secret, out SandboxApp app)
    {
        app = null!;
        if (string.IsNullOrEmpty(appId))
        {
            return WeChatError.AppIdMissing;
        }

        if (!Apps.TryGetValue(appId, out var found))
        {
            return WeChatError.InvalidAppId;
        }

        if (string.IsNullOrEmpty(secret))
        {
            return WeChatError.AppSecretMissing;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(found.Secret)))
        {
            return WeChatError.InvalidAppSecret;
        }

        app = found;
        return null;
    }

    private int? CheckSnsToken(string? accessToken, string? openId, out SnsGrant grant)
    {
        grant = null!;
        if (string.IsNullOrEmpty(accessToken))
        {
            return WeChatError.AccessTokenMissing;
        }

        if (!_snsTokens.TryGetValue(accessToken, out var found))
        {
            return WeChatError.InvalidCredential;
        }

        if (Time.GetUtcNow() >= found.ExpiresAt)
        {
            return WeChatError.AccessTokenExpired;
        }

        if (string.IsNullOrEmpty(openId))
        {
            return WeChatError.OpenIdMissing;
        }

        if (openId != OpenIdOf(found.AppId, found.UserKey))
        {
            return WeChatError.InvalidOpenId;
        }

        grant = found;
        return null;
    }
}
