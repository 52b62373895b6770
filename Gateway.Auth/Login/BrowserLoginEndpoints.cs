using Gateway.Auth.Identity;
using Gateway.Auth.Login.Pages;
using Gateway.Auth.Sessions;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Login;

/// <summary>
/// Official Account (snsapi_base, snsapi_userinfo) and website QR (snsapi_login) logins: <c>start</c> redirects to
/// WeChat with a server-side state; <c>callback</c> checks state and browser, exchanges the code, sets the session
/// cookie and redirects to the return URL validated at the start.
/// </summary>
internal static class BrowserLoginEndpoints
{
    private const int MaxCodeLength = 256;

    public static Task StartAsync(HttpContext context, string app, WeChatAppKind kind)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunPageAsync(context, NoRetry, async () =>
        {
            var weChatApp = login.App(app, kind);
            var query = context.Request.Query;
            var (scope, requestedReturnUrl) = await FlowParametersAsync(login, app, kind, query, context.RequestAborted);
            var allowed = kind == WeChatAppKind.Website ? scope == "snsapi_login" : scope is "snsapi_base" or "snsapi_userinfo";
            if (!allowed)
            {
                throw LoginRequest.Invalid($"scope '{scope}' cannot be used with this app.");
            }

            if (!login.ReturnUrls.TryValidate(requestedReturnUrl, out var returnUrl))
            {
                throw new LoginException(StatusCodes.Status400BadRequest, LoginErrorCodes.ReturnUrlRejected, "returnUrl must be a path on this site or an allowed origin.");
            }

            var state = await login.States.StartAsync(context, app, scope, returnUrl);
            var authorize = kind == WeChatAppKind.Website ? "/connect/qrconnect" : "/connect/oauth2/authorize";
            var url = login.WeChatOptions.OpenBaseUrl.TrimEnd('/') + authorize +
                "?appid=" + Uri.EscapeDataString(weChatApp.AppId) +
                "&redirect_uri=" + Uri.EscapeDataString(CallbackUrl(login, kind, app)) +
                "&response_type=code&scope=" + scope +
                "&state=" + state + "#wechat_redirect";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Redirect(url);
        });
    }

    /// <summary>
    /// The scope and return URL of a new login, from the query; or, for "try again" (<c>?retry=</c>), those the
    /// failed login was started with, from the store, since a retry link must not be editable into another flow.
    /// </summary>
    private static async Task<(string Scope, string? ReturnUrl)> FlowParametersAsync(LoginContext login, string app, WeChatAppKind kind, IQueryCollection query, CancellationToken ct)
    {
        if (LoginRequest.Single(query, "retry") is not { } retryId)
        {
            return (LoginRequest.Single(query, "scope") ?? (kind == WeChatAppKind.Website ? "snsapi_login" : "snsapi_base"), LoginRequest.Single(query, "returnUrl"));
        }

        if (query.ContainsKey("scope") || query.ContainsKey("returnUrl"))
        {
            throw LoginRequest.Invalid("retry cannot be combined with scope or returnUrl: a retried login keeps its own.");
        }

        var retry = await login.States.FindRetryAsync(retryId, ct);
        if (retry is null || retry.App != app)
        {
            throw StateInvalid();
        }

        return (retry.Scope, retry.ReturnUrl);
    }

    public static Task CallbackAsync(HttpContext context, string app, WeChatAppKind kind)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        OAuthStateRecord? started = null;
        async Task<LoginRetry?> RetryAsync() => started is null
            ? null
            : new LoginRetry(StartUrl(login, kind, app) + "?retry=" + await login.States.SaveRetryAsync(started, CancellationToken.None), started.ReturnUrl);

        return login.RunPageAsync(context, RetryAsync, async () =>
        {
            var weChatApp = login.App(app, kind);
            var query = context.Request.Query;
            var state = LoginRequest.Single(query, "state") ?? throw Failure(StatusCodes.Status400BadRequest, LoginErrorCodes.StateMissing, "The reply from WeChat carries no state: start the login again.");
            var code = LoginRequest.Single(query, "code");
            if (!OAuthStates.IsWellFormed(state))
            {
                throw StateInvalid();
            }

            if (code?.Length > MaxCodeLength)
            {
                throw LoginRequest.Invalid("code is too long.");
            }

            var ct = context.RequestAborted;
            var nonce = login.States.Nonce(context);
            var record = await login.States.PeekAsync(state, ct);
            if (record is null)
            {
                // A used state: a repeated callback of this browser is served from the first exchange's outcome.
                await RepeatAsync(context, login, weChatApp, state, code ?? throw StateInvalid(), nonce);
                return;
            }

            if (record.App != app)
            {
                throw StateInvalid();
            }

            started = record;

            if (nonce is null || !LoginSecrets.HashEquals(record.NonceHash, nonce))
            {
                throw StateMismatch();
            }

            if (code is null)
            {
                await login.States.ConsumeAsync(state, ct);
                throw Failure(StatusCodes.Status403Forbidden, LoginErrorCodes.AuthorizationRefused, "The WeChat authorization was refused.");
            }

            var binding = OAuthStates.Binding(state, nonce);
            if (!await login.States.ClaimCodeAsync(weChatApp.AppId, code, binding, ct))
            {
                await RepeatAsync(context, login, weChatApp, state, code, nonce);
                return;
            }

            if (!await login.States.ConsumeAsync(state, ct))
            {
                // Another callback with another code used this state first.
                var failure = StateInvalid();
                await login.States.RecordCodeAsync(weChatApp.AppId, code, new OAuthCodeRecord(binding, true, null, null, failure.StatusCode, failure.Code, failure.Message), CancellationToken.None);
                throw failure;
            }

            await ExchangeAndSignInAsync(context, login, weChatApp, record, code, binding);
        });
    }

    /// <summary>
    /// Runs to completion even when the browser goes away (WeChat's double redirect makes it abandon the first
    /// request), so the outcome is recorded for the repeat; every step is bounded by its own timeout.
    /// </summary>
    private static async Task ExchangeAndSignInAsync(HttpContext context, LoginContext login, WeChatApp app, OAuthStateRecord record, string code, string binding)
    {
        LoginIdentity identity;
        try
        {
            identity = await ExchangeAsync(login, app, code, CancellationToken.None);
            await login.SignInAsync(context, identity, SessionTransport.Cookie, CancellationToken.None);
        }
        catch (Exception e) when (LoginFailures.Map(e, login.Logger) is { } failure)
        {
            await login.States.RecordCodeAsync(app.AppId, code, new OAuthCodeRecord(binding, true, null, null, failure.StatusCode, failure.Code, failure.Message), CancellationToken.None);
            throw failure;
        }

        await login.States.RecordCodeAsync(app.AppId, code, new OAuthCodeRecord(binding, true, identity, record.ReturnUrl, null, null, null), CancellationToken.None);
        Redirect(context, record.ReturnUrl);
    }

    private static async Task<LoginIdentity> ExchangeAsync(LoginContext login, WeChatApp app, string code, CancellationToken ct)
    {
        var channel = app.Kind == WeChatAppKind.Website ? LoginChannel.Website : LoginChannel.OfficialAccount;
        var token = await login.WeChat.ExchangeOAuthCodeAsync(app, code, ct);
        await login.RateLimits.CheckOpenIdAsync(app.AppId, token.OpenId, ct);
        if (token.IsSnapshotUser)
        {
            // Before userinfo: a snapshot-page visitor is refused whatever else WeChat would say about it.
            throw new IdentityResolutionException(IdentityErrorCodes.SnapshotUser, "Snapshot-page users cannot log in.");
        }

        return await WithProfileAsync(login, app, token, channel, ct);
    }

    /// <summary>Adds userinfo (profile, and a unionid the token lacked) when the granted scope allows it.</summary>
    internal static async Task<LoginIdentity> WithProfileAsync(LoginContext login, WeChatApp app, OAuthAccessToken token, LoginChannel channel, CancellationToken ct)
    {
        var scopes = (token.Scope ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (!scopes.Contains("snsapi_userinfo") && !scopes.Contains("snsapi_login"))
        {
            return LoginIdentity.FromWeChat(app.AppId, token.OpenId, token.UnionId, channel);
        }

        var user = await login.WeChat.GetUserInfoAsync(app, token.AccessToken, token.OpenId, ct);
        if (user.OpenId != token.OpenId)
        {
            throw new WeChatApiException("sns/userinfo", WeChatErrorKind.Unexpected, null, "WeChat sns/userinfo answered about another openid.");
        }

        return LoginIdentity.FromWeChat(app.AppId, token.OpenId, token.UnionId ?? user.UnionId, channel, new LoginProfile(user.Nickname, user.HeadImgUrl));
    }

    private static async Task RepeatAsync(HttpContext context, LoginContext login, WeChatApp app, string state, string code, string? nonce)
    {
        var budget = (login.WeChatOptions.Timeout + login.WeChatOptions.Retry.MaxDelay) * (login.WeChatOptions.Retry.Attempts + 1) * 2;
        var outcome = await login.States.AwaitCodeAsync(app.AppId, code, budget, login.Time, context.RequestAborted);
        if (outcome is null)
        {
            throw StateInvalid();
        }

        if (nonce is null || !LoginSecrets.HashEquals(outcome.Binding, state + "\n" + nonce))
        {
            throw StateMismatch();
        }

        if (!outcome.Done)
        {
            throw Failure(StatusCodes.Status503ServiceUnavailable, LoginErrorCodes.WeChatUnavailable, "The first attempt of this login is still running: reload in a moment.");
        }

        if (outcome.ErrorCode is { } errorCode)
        {
            throw Failure(outcome.ErrorStatus ?? StatusCodes.Status400BadRequest, errorCode, outcome.ErrorMessage ?? "The login failed.");
        }

        await login.SignInAsync(context, outcome.Login!, SessionTransport.Cookie, context.RequestAborted);
        LoginLog.RepeatedCallbackServed(login.Logger, app.AppId);
        Redirect(context, outcome.ReturnUrl ?? "/");
    }

    private static void Redirect(HttpContext context, string url)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(url);
    }

    internal static string CallbackUrl(LoginContext login, WeChatAppKind kind, string app) =>
        login.Options.PublicBaseUrl!.TrimEnd('/') + WeChatLoginPaths.Prefix + "/" + WeChatLoginPaths.Segment(kind) + "/" + app + "/callback";

    private static string StartUrl(LoginContext login, WeChatAppKind kind, string app) =>
        login.Options.PublicBaseUrl!.TrimEnd('/') + WeChatLoginPaths.Prefix + "/" + WeChatLoginPaths.Segment(kind) + "/" + Uri.EscapeDataString(app) + "/start";

    private static Task<LoginRetry?> NoRetry() => Task.FromResult<LoginRetry?>(null);

    private static LoginException Failure(int status, string code, string message) => new(status, code, message);

    private static LoginException StateInvalid() =>
        Failure(StatusCodes.Status400BadRequest, LoginErrorCodes.StateInvalid, "This sign-in link is unknown, expired or already used: start the login again.");

    private static LoginException StateMismatch() =>
        Failure(StatusCodes.Status400BadRequest, LoginErrorCodes.StateMismatch, "This sign-in was started in another browser: start the login again here.");
}
