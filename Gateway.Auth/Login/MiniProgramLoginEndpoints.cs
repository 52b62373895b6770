using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Login;

/// <summary>
/// The Mini Program two-step login: <c>login {code}</c> signs in at once when WeChat gives a unionid or the openid
/// is known, and otherwise answers <c>user_info_needed</c> with a one-time ticket; <c>bind {ticket, encryptedData,
/// iv, rawData?, signature?}</c> finishes with the decrypted unionid.
/// </summary>
internal static class MiniProgramLoginEndpoints
{
    private const int MaxCodeLength = 128;
    private const int MaxTicketLength = 64;
    private const int MaxIvLength = 64;
    private const int MaxSignatureLength = 64;
    private const int MaxRawDataLength = 8 * 1024;

    /// <summary>getuserphonenumber's answer when the code belongs to another openid than the session's.</summary>
    private const int InvalidOpenIdErrcode = 40003;

    public static Task LoginAsync(HttpContext context, string app)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunJsonAsync(context, async () =>
        {
            var weChatApp = login.App(app, WeChatAppKind.MiniProgram);
            var code = (await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes)).Required("code", MaxCodeLength);
            var ct = context.RequestAborted;
            var session = await login.WeChat.Code2SessionAsync(weChatApp, code, ct);
            await login.Tickets.RememberSessionKeyAsync(weChatApp.AppId, session.OpenId, session.SessionKey, ct);
            await login.RateLimits.CheckOpenIdAsync(weChatApp.AppId, session.OpenId, ct);

            if (session.UnionId is null && await login.Directory.FindByOpenIdAsync(weChatApp.AppId, session.OpenId, ct) is null)
            {
                var ticket = await login.Tickets.IssueAsync(weChatApp.AppId, session.OpenId, ct);
                await LoginResponses.JsonAsync(
                    context,
                    new UserInfoNeeded("user_info_needed", ticket, (int)login.Tickets.TicketLifetime.TotalSeconds),
                    LoginJsonContext.Default.UserInfoNeeded);
                return;
            }

            var (identity, issued) = await login.SignInAsync(
                context, LoginIdentity.FromWeChat(weChatApp.AppId, session.OpenId, session.UnionId, LoginChannel.MiniProgram), SessionTransport.Bearer, ct);
            await LoginResponses.JsonAsync(context, LoginContext.Succeeded(identity, issued, includeToken: true), LoginJsonContext.Default.LoginSucceeded);
        });
    }

    public static Task BindAsync(HttpContext context, string app)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunJsonAsync(context, async () =>
        {
            var weChatApp = login.App(app, WeChatAppKind.MiniProgram);
            var body = await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes);
            var ticket = body.Required("ticket", MaxTicketLength);
            var encryptedData = body.Required("encryptedData", MiniProgramUserData.MaxEncryptedDataLength);
            var iv = body.Required("iv", MaxIvLength);
            var rawData = body.Optional("rawData", MaxRawDataLength);
            var signature = body.Optional("signature", MaxSignatureLength);
            if ((rawData is null) != (signature is null))
            {
                throw LoginRequest.Invalid("rawData and signature go together: send both or neither.");
            }

            var ct = context.RequestAborted;
            var record = await login.Tickets.TakeAsync(ticket, ct);
            if (record is null || record.AppId != weChatApp.AppId)
            {
                throw new LoginException(StatusCodes.Status400BadRequest, LoginErrorCodes.TicketInvalid, "The ticket is unknown, expired or already used: call wx.login again and start over.");
            }

            var sessionKey = await login.Tickets.SessionKeyAsync(record.AppId, record.OpenId, ct)
                ?? throw new LoginException(StatusCodes.Status400BadRequest, LoginErrorCodes.TicketInvalid, "The login expired: call wx.login again and start over.");
            DecryptedUserData data;
            try
            {
                data = MiniProgramUserData.Decrypt(sessionKey, encryptedData, iv, weChatApp.AppId, record.OpenId, rawData, signature);
            }
            catch (UserDataException failure)
            {
                throw await SessionKeyHealth.ExplainDecryptFailureAsync(login, weChatApp, record.OpenId, sessionKey, failure, ct);
            }

            await login.RateLimits.CheckOpenIdAsync(weChatApp.AppId, record.OpenId, ct);

            var (identity, issued) = await login.SignInAsync(
                context,
                LoginIdentity.FromWeChat(weChatApp.AppId, record.OpenId, data.UnionId, LoginChannel.MiniProgram, new LoginProfile(data.NickName, data.AvatarUrl)),
                SessionTransport.Bearer,
                ct);
            await LoginResponses.JsonAsync(context, LoginContext.Succeeded(identity, issued, includeToken: true), LoginJsonContext.Default.LoginSucceeded);
        });
    }

    /// <summary>Exchanges a getPhoneNumber code and attaches the number to the person of the presented bearer session.</summary>
    public static Task PhoneAsync(HttpContext context, string app) =>
        AttachPhoneAsync(context, app, async (login, weChatApp, openId, ct) =>
        {
            var code = (await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes)).Required("code", MaxCodeLength);
            try
            {
                return await login.AppTokens.UseAsync(weChatApp, (token, callCancellation) => login.WeChat.GetPhoneNumberAsync(weChatApp, token, code, openId, callCancellation), ct);
            }
            catch (WeChatApiException e) when (e.Errcode == InvalidOpenIdErrcode)
            {
                throw new LoginException(StatusCodes.Status400BadRequest, LoginErrorCodes.PhoneCodeNotForUser, "This phone code was issued to another WeChat user: ask this user to tap the button again.");
            }
        });

    /// <summary>
    /// The legacy getPhoneNumber data ({encryptedData, iv}, from before phone codes) decrypted with the session user's
    /// session_key; when it does not decrypt, the key is checked with WeChat so a stale one says "log in again".
    /// </summary>
    public static Task LegacyPhoneAsync(HttpContext context, string app) =>
        AttachPhoneAsync(context, app, async (login, weChatApp, openId, ct) =>
        {
            var body = await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes);
            var encryptedData = body.Required("encryptedData", MiniProgramUserData.MaxEncryptedDataLength);
            var iv = body.Required("iv", MaxIvLength);
            var sessionKey = await login.Tickets.SessionKeyAsync(weChatApp.AppId, openId, ct) ?? throw SessionKeyHealth.Expired();
            try
            {
                return MiniProgramUserData.DecryptPhone(sessionKey, encryptedData, iv, weChatApp.AppId);
            }
            catch (UserDataException failure)
            {
                throw await SessionKeyHealth.ExplainDecryptFailureAsync(login, weChatApp, openId, sessionKey, failure, ct);
            }
        });

    /// <summary>The session checks before, and the storing after, however the phone number was obtained.</summary>
    private static Task AttachPhoneAsync(HttpContext context, string app, Func<LoginContext, WeChatApp, string, CancellationToken, Task<PhoneNumberInfo>> obtain)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunJsonAsync(context, async () =>
        {
            var weChatApp = login.App(app, WeChatAppKind.MiniProgram);
            var ct = context.RequestAborted;
            var sessions = context.RequestServices.GetRequiredService<ILoginSessionReader>();
            var session = await sessions.ReadAsync(context, ct)
                ?? throw new LoginException(StatusCodes.Status401Unauthorized, LoginErrorCodes.SessionRequired, "A gateway session (Authorization: Bearer) is required.");
            if (session.AppId != weChatApp.AppId || session.OpenId is not { } openId)
            {
                throw new LoginException(StatusCodes.Status403Forbidden, LoginErrorCodes.SessionAppMismatch, "The session was not issued by this Mini Program.");
            }

            var phone = await obtain(login, weChatApp, openId, ct);
            if (phone.WatermarkAppId is not null && phone.WatermarkAppId != weChatApp.AppId)
            {
                throw new LoginException(StatusCodes.Status400BadRequest, LoginErrorCodes.WatermarkMismatch, "The phone number was issued for another app.");
            }

            if (phone.PhoneNumber.Length > IdentityLimits.MaxPhoneLength || !phone.PhoneNumber.All(c => char.IsAsciiDigit(c) || c == '+'))
            {
                throw new WeChatApiException("wxa/business/getuserphonenumber", WeChatErrorKind.Unexpected, null, "WeChat answered a phone number the gateway cannot store.");
            }

            if (await login.Directory.SetPhoneAsync(session.PersonId, phone.PhoneNumber, ct) is null)
            {
                throw new LoginException(StatusCodes.Status401Unauthorized, LoginErrorCodes.SessionRequired, "The session's person no longer exists: log in again.");
            }

            await sessions.MarkPhoneVerifiedAsync(context, ct);
            LoginLog.PhoneAttached(login.Logger, session.PersonId);
            await LoginResponses.JsonAsync(
                context,
                new PhoneNumberAttached("ok", phone.PhoneNumber, phone.PurePhoneNumber, phone.CountryCode),
                LoginJsonContext.Default.PhoneNumberAttached);
        });
    }
}
