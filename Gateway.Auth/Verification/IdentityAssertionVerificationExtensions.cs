using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Verification;

public static class IdentityAssertionVerificationExtensions
{
    /// <summary>Registers <see cref="IdentityAssertionVerifier"/> from the <c>IdentityAssertion</c> section, validated at start-up.</summary>
    public static IServiceCollection AddIdentityAssertionVerification(this IServiceCollection services, IConfiguration configuration) =>
        services.AddIdentityAssertionVerification(options => configuration.GetSection(IdentityAssertionVerifierOptions.SectionName).Bind(options));

    public static IServiceCollection AddIdentityAssertionVerification(this IServiceCollection services, Action<IdentityAssertionVerifierOptions> configure)
    {
        services.AddOptions<IdentityAssertionVerifierOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityAssertionVerifierOptions>, VerifierOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new IdentityAssertionVerifier(
            sp.GetRequiredService<IOptions<IdentityAssertionVerifierOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IApplicationBuilder UseIdentityAssertionVerification(this IApplicationBuilder app) =>
        app.UseMiddleware<IdentityAssertionVerificationMiddleware>();

    /// <summary>The identity verified for this request, or null when it carried no assertion (and none was required).</summary>
    public static VerifiedIdentityAssertion? GetVerifiedIdentity(this HttpContext context) =>
        context.Features.Get<IIdentityAssertionFeature>()?.Identity;

    private sealed class VerifierOptionsValidator : IValidateOptions<IdentityAssertionVerifierOptions>
    {
        public ValidateOptionsResult Validate(string? name, IdentityAssertionVerifierOptions options) =>
            IdentityAssertionVerifier.Validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
