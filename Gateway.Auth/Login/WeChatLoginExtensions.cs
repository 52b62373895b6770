using Gateway.Auth.Login;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class WeChatLoginExtensions
{
    /// <summary>Maps every login endpoint under <c>/auth/wechat/</c> on the public listener.</summary>
    public static IEndpointRouteBuilder MapWeChatLogin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(WeChatLoginPaths.Prefix);
        group.MapPost("/miniprogram/{app}/login", MiniProgramLoginEndpoints.LoginAsync);
        group.MapPost("/miniprogram/{app}/bind", MiniProgramLoginEndpoints.BindAsync);
        group.MapPost("/miniprogram/{app}/phone", MiniProgramLoginEndpoints.PhoneAsync);
        group.MapPost("/app/{app}/login", AppLoginEndpoints.LoginAsync);
        group.MapGet("/oa/{app}/start", (HttpContext context, string app) => BrowserLoginEndpoints.StartAsync(context, app, WeChatAppKind.OfficialAccount));
        group.MapGet("/oa/{app}/callback", (HttpContext context, string app) => BrowserLoginEndpoints.CallbackAsync(context, app, WeChatAppKind.OfficialAccount));
        group.MapGet("/web/{app}/start", (HttpContext context, string app) => BrowserLoginEndpoints.StartAsync(context, app, WeChatAppKind.Website));
        group.MapGet("/web/{app}/callback", (HttpContext context, string app) => BrowserLoginEndpoints.CallbackAsync(context, app, WeChatAppKind.Website));
        return endpoints;
    }
}
