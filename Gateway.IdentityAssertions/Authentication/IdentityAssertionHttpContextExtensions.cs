using Microsoft.AspNetCore.Http;

namespace Gateway.IdentityAssertions;

public static class IdentityAssertionHttpContextExtensions
{
    /// <summary>The assertion verified for this request, or null when it carried none (the request is anonymous).</summary>
    public static VerifiedIdentityAssertion? GetVerifiedIdentity(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IIdentityAssertionFeature>()?.Identity;
    }
}
