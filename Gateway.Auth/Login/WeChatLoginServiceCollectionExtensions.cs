using Gateway.Auth.Login;
using Gateway.Auth.Login.Pages;
using Gateway.Auth.WeChat;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class WeChatLoginServiceCollectionExtensions
{
    /// <summary>
    /// Registers the WeChat login flows (<c>Login</c> section) and the WeChat API client (<c>WeChat</c> section).
    /// Needs AddGatewayLocalization, AddEphemeralStore, AddRelationalStore, AddGatewayIdentity and an <see cref="Gateway.Auth.Sessions.ISessionIssuer"/>.
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
        services.AddGatewayMetrics();
        services.TryAddSingleton<LoginRateLimits>();
        services.TryAddSingleton<LoginContext>();
        services.TryAddSingleton<LoginPages>();
        services.TryAddSingleton<ILoginSessionReader, GatewaySessionReader>();
        return services;
    }
}
