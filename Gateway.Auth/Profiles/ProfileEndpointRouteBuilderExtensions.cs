using Gateway.Auth.Profiles;
using Gateway.Auth.Telemetry;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class ProfileEndpointRouteBuilderExtensions
{
    /// <summary>The profile fill-in endpoint, where a signed-in user sets the nickname and avatar WeChat no longer gives.</summary>
    public static IEndpointRouteBuilder MapProfileFillIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProfileEndpoints.Path, ProfileEndpoints.SetAsync).WithMetadata(new LoggedEndpoint(LoggedEndpoint.Login, "profile"));
        return endpoints;
    }
}
