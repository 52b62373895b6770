using Gateway.Auth.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class WeChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers the WeChat API client (<see cref="WeChatApiClient"/>), the configured apps (<see cref="WeChatApps"/>)
    /// and the shared app access_token cache (<see cref="AppAccessTokenCache"/>) from the <c>WeChat</c> section,
    /// validated at start-up. The cache needs <c>AddEphemeralStore</c>.
    /// </summary>
    public static IServiceCollection AddWeChatApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WeChatOptions>()
            .Bind(configuration.GetSection(WeChatOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatOptions>, WeChatOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatOptions>, WeChatProductionUrlsValidator>(
            provider => new WeChatProductionUrlsValidator(configuration, provider.GetService<IHostEnvironment>())));
        services.TryAddSingleton(TimeProvider.System);
        services.AddGatewayMetrics();

        // WeChat's query strings carry the AppSecret, codes and tokens: the default request logging must not see them.
        services.AddHttpClient(WeChatApiClient.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Gateway.WeChat/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.TryAddSingleton<WeChatApps>();
        services.TryAddSingleton<WeChatApiClient>();
        services.TryAddSingleton<AppAccessTokenCache>();
        return services;
    }
}
