using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Login;

/// <summary>
/// The multi-platform app (多端应用) login: <c>login {code}</c> → donut/code2verifyinfo → identity resolution →
/// bearer session. The identity is the app's own user_id; a unionid, which WeChat gives only through a bound mobile
/// app on weixinApp logins, links it to the person every other app of the open platform resolves to.
/// </summary>
internal static class MultiPlatformLoginEndpoints
{
    private const int MaxCodeLength = 128;

    public static Task LoginAsync(HttpContext context, string app)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunJsonAsync(context, async () =>
        {
            var weChatApp = login.App(app, WeChatAppKind.MultiPlatform);
            var code = (await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes)).Required("code", MaxCodeLength);
            var ct = context.RequestAborted;
            var info = await login.WeChat.Code2VerifyInfoAsync(weChatApp, code, ct);
            await login.RateLimits.CheckOpenIdAsync(weChatApp.AppId, info.UserId, ct);
            var (identity, issued) = await login.SignInAsync(
                context, LoginIdentity.FromWeChat(weChatApp.AppId, info.UserId, info.UnionId, LoginChannel.MultiPlatform), SessionTransport.Bearer, ct);
            await LoginResponses.JsonAsync(context, LoginContext.Succeeded(identity, issued, includeToken: true), LoginJsonContext.Default.LoginSucceeded);
        });
    }
}
