using Gateway.Auth.Login;
using Gateway.Auth.Login.Pages;
using Gateway.Auth.Telemetry;
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
        group.MapPost("/miniprogram/{app}/login", MiniProgramLoginEndpoints.LoginAsync).WithMetadata(Flow("miniprogram.login"));
        group.MapPost("/miniprogram/{app}/bind", MiniProgramLoginEndpoints.BindAsync).WithMetadata(Flow("miniprogram.bind"));
        group.MapPost("/miniprogram/{app}/phone", MiniProgramLoginEndpoints.PhoneAsync).WithMetadata(Flow("miniprogram.phone"));
        group.MapPost("/miniprogram/{app}/phone/legacy", MiniProgramLoginEndpoints.LegacyPhoneAsync).WithMetadata(Flow("miniprogram.phone.legacy"));
        group.MapPost("/app/{app}/login", AppLoginEndpoints.LoginAsync).WithMetadata(Flow("app.login"));
        group.MapPost("/multiplatform/{app}/login", MultiPlatformLoginEndpoints.LoginAsync).WithMetadata(Flow("multiplatform.login"));
        group.MapGet("/oa/{app}/start", (HttpContext context, string app) => BrowserLoginEndpoints.StartAsync(context, app, WeChatAppKind.OfficialAccount)).WithMetadata(Flow("oa.start"));
        group.MapGet("/oa/{app}/callback", (HttpContext context, string app) => BrowserLoginEndpoints.CallbackAsync(context, app, WeChatAppKind.OfficialAccount)).WithMetadata(Flow("oa.callback"));
        group.MapGet("/web/{app}/start", (HttpContext context, string app) => BrowserLoginEndpoints.StartAsync(context, app, WeChatAppKind.Website)).WithMetadata(Flow("web.start"));
        group.MapGet("/web/{app}/callback", (HttpContext context, string app) => BrowserLoginEndpoints.CallbackAsync(context, app, WeChatAppKind.Website)).WithMetadata(Flow("web.callback"));
        endpoints.MapProfileFillIn();
        return endpoints;
    }

    /// <summary>Names the flow in the access log and in <c>gateway.logins</c>.</summary>
    private static LoggedEndpoint Flow(string name) => new(LoggedEndpoint.Login, name);
}
