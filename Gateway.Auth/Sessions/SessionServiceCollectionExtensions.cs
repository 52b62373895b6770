using Gateway.Auth.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using Gateway.Auth.Sessions;

namespace Microsoft.Extensions.DependencyInjection;

public static class SessionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISessionIssuer"/>, session checking for the proxy and the session endpoints, and the
    /// listener that ends a disabled person's sessions, from the <c>Sessions</c> section. Needs <c>AddEphemeralStore</c>.
    /// </summary>
    public static IServiceCollection AddGatewaySessions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SessionOptions>().Bind(configuration.GetSection(SessionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionOptions>, SessionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddGatewayMetrics();
        services.TryAddSingleton<SessionStore>();
        services.TryAddSingleton<SessionValidator>();
        services.TryAddSingleton<ISessionIssuer, SessionIssuer>();
        services.TryAddSingleton<PersonSessionRevoker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonDisabledListener, PersonSessionRevoker>(provider => provider.GetRequiredService<PersonSessionRevoker>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonMergedListener, PersonSessionRevoker>(provider => provider.GetRequiredService<PersonSessionRevoker>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonForgottenListener, PersonSessionRevoker>(provider => provider.GetRequiredService<PersonSessionRevoker>()));
        return services;
    }
}
