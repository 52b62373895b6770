using Gateway.Auth.Http;
using Gateway.Auth.Identity;
using Gateway.Auth.Login;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

public static class SessionKeyManagementEndpoints
{
    /// <summary>
    /// <c>POST persons/by-openid/{appId}/{openId}/reset-session-key</c>: for a suspected leak, has WeChat replace the
    /// Mini Program user's session_key (wxa/resetusersessionkey) and keeps the new one. Map onto the management group only.
    /// </summary>
    public static RouteGroupBuilder MapSessionKeyManagement(this RouteGroupBuilder management)
    {
        ArgumentNullException.ThrowIfNull(management);
        management.MapPost("persons/by-openid/{appId}/{openId}/reset-session-key", ResetAsync);
        return management;
    }

    private static async Task ResetAsync(HttpContext context, string appId, string openId)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        var app = context.RequestServices.GetRequiredService<WeChatApps>().All.FirstOrDefault(a => a.AppId == appId && a.Kind == WeChatAppKind.MiniProgram);
        if (app is null)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, LoginErrorCodes.AppNotFound, "No Mini Program with this appid is configured.");
            return;
        }

        var ct = context.RequestAborted;
        try
        {
            IdentityLimits.RequireIdentifier("OpenId", openId, IdentityLimits.MaxOpenIdLength);
            var current = await login.Tickets.SessionKeyAsync(app.AppId, openId, ct);
            if (current is null)
            {
                await ErrorResponse.WriteAsync(context, StatusCodes.Status409Conflict, "session_key_unknown",
                    "The gateway holds no session_key for this user (it lapsed, or the user never logged in here); the next wx.login brings a new one.");
                return;
            }

            var replacement = await login.AppTokens.UseAsync(app, (token, callCancellation) => login.WeChat.ResetSessionKeyAsync(app, token, openId, current, callCancellation), ct);
            await login.Tickets.RememberSessionKeyAsync(app.AppId, openId, replacement, ct);
            var person = await login.Directory.FindByOpenIdAsync(app.AppId, openId, ct);
            LoginLog.SessionKeyReset(login.Logger, app.AppId, person?.Id);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (IdentityResolutionException e)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, e.Code, e.Message);
        }
        catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.StaleSessionKey)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status409Conflict, LoginErrorCodes.SessionKeyExpired,
                "WeChat had already retired the session_key the gateway holds; the user's next wx.login brings a new one.");
        }
        catch (Exception e) when (LoginFailures.Map(e, login.Logger) is { } failure && !context.Response.HasStarted)
        {
            await LoginResponses.ErrorJsonAsync(context, failure);
        }
    }
}
