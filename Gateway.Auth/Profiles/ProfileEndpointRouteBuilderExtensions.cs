using Gateway.Auth.Profiles;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class ProfileEndpointRouteBuilderExtensions
{
    /// <summary>The profile fill-in endpoint, where a signed-in user sets the nickname and avatar WeChat no longer gives.</summary>
    public static IEndpointRouteBuilder MapProfileFillIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProfileEndpoints.Path, ProfileEndpoints.SetAsync);
        return endpoints;
    }
}
