using Gateway.Auth.Profiles;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

public static class ProfileServiceCollectionExtensions
{
    /// <summary>The profile fill-in (<c>Profile</c> section), validated at start-up.</summary>
    public static IServiceCollection AddProfileFillIn(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProfileOptions>().Bind(configuration.GetSection(ProfileOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProfileOptions>, ProfileOptionsValidator>());
        return services;
    }

    public static IEndpointRouteBuilder MapProfileFillIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProfileEndpoints.Path, ProfileEndpoints.SetAsync);
        return endpoints;
    }
}
