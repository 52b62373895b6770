using Gateway.Auth.Identity;
using Gateway.Auth.Sessions;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Auth.Login;

/// <summary>The mobile app login: the code the native WeChat SDK gave the app → access_token → userinfo → bearer session.</summary>
internal static class AppLoginEndpoints
{
    private const int MaxCodeLength = 128;

    public static Task LoginAsync(HttpContext context, string app)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunJsonAsync(context, async () =>
        {
            var weChatApp = login.App(app, WeChatAppKind.MobileApp);
            var code = (await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes)).Required("code", MaxCodeLength);
            var ct = context.RequestAborted;
            var token = await login.WeChat.ExchangeOAuthCodeAsync(weChatApp, code, ct);
            await login.RateLimits.CheckOpenIdAsync(weChatApp.AppId, token.OpenId, ct);
            var identity = await BrowserLoginEndpoints.WithProfileAsync(login, weChatApp, token, LoginChannel.MobileApp, ct);
            var (resolved, issued) = await login.SignInAsync(context, identity, SessionTransport.Bearer, ct);
            await LoginResponses.JsonAsync(context, LoginContext.Succeeded(resolved, issued, includeToken: true), LoginJsonContext.Default.LoginSucceeded);
        });
    }
}
