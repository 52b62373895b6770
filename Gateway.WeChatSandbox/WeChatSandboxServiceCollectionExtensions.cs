using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.WeChatSandbox;

public static class WeChatSandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated WeChat: options bound from the <c>WeChatSandbox</c> configuration section (then
    /// <paramref name="configure"/>), validated at start, and one shared state for the whole process.
    /// </summary>
    public static IServiceCollection AddWeChatSandbox(this IServiceCollection services, Action<WeChatSandboxOptions>? configure = null)
    {
        var options = services.AddOptions<WeChatSandboxOptions>().BindConfiguration(WeChatSandboxOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<WeChatSandboxOptions>, WeChatSandboxOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatSandboxOptions>, WeChatSandboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WeChatSandboxState>();
        return services;
    }
}
