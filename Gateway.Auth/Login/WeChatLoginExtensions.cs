using Gateway.Auth.Login;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class WeChatLoginExtensions
{
    /// <summary>
    /// Registers the WeChat login flows (<c>Login</c> section) and the WeChat API client (<c>WeChat</c> section).
    /// Needs AddEphemeralStore, AddRelationalStore, AddIdentity and an <see cref="Gateway.Auth.Sessions.ISessionIssuer"/>.
    /// </summary>
    public static IServiceCollection AddWeChatLogin(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddWeChatApi(configuration);
        services.AddProfileFillIn(configuration);
        services.AddOptions<LoginOptions>()
            .Bind(configuration.GetSection(LoginOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LoginOptions>, LoginOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<WeChatOptions>>(new WeChatBaseUrlsSetup(configuration)));
        services.TryAddSingleton<ReturnUrlPolicy>();
        services.TryAddSingleton<MiniProgramTickets>();
        services.TryAddSingleton<OAuthStates>();
        services.TryAddSingleton<LoginRateLimits>();
        services.TryAddSingleton<LoginContext>();
        services.TryAddSingleton<ILoginSessionReader, GatewaySessionReader>();
        return services;
    }

    /// <summary>Maps every login endpoint under <c>/auth/wechat/</c> on the public listener.</summary>
    public static IEndpointRouteBuilder MapWeChatLogin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(WeChatLoginPaths.Prefix);
        group.MapPost("/miniprogram/{app}/login", MiniProgramLoginEndpoints.LoginAsync);
        group.MapPost("/miniprogram/{app}/bind", MiniProgramLoginEndpoints.BindAsync);
        group.MapPost("/miniprogram/{app}/phone", MiniProgramLoginEndpoints.PhoneAsync);
        group.MapPost("/miniprogram/{app}/phone/legacy", MiniProgramLoginEndpoints.LegacyPhoneAsync);
        group.MapPost("/app/{app}/login", AppLoginEndpoints.LoginAsync);
        group.MapPost("/multiplatform/{app}/login", MultiPlatformLoginEndpoints.LoginAsync);
        group.MapGet("/oa/{app}/start", (HttpContext context, string app) => BrowserLoginEndpoints.StartAsync(context, app, WeChatAppKind.OfficialAccount));
        group.MapGet("/oa/{app}/callback", (HttpContext context, string app) => BrowserLoginEndpoints.CallbackAsync(context, app, WeChatAppKind.OfficialAccount));
        group.MapGet("/web/{app}/start", (HttpContext context, string app) => BrowserLoginEndpoints.StartAsync(context, app, WeChatAppKind.Website));
        group.MapGet("/web/{app}/callback", (HttpContext context, string app) => BrowserLoginEndpoints.CallbackAsync(context, app, WeChatAppKind.Website));
        endpoints.MapProfileFillIn();
        return endpoints;
    }
}
