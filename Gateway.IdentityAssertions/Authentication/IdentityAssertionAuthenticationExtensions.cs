using Gateway.IdentityAssertions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class IdentityAssertionAuthenticationExtensions
{
    /// <summary>
    /// Adds the scheme that signs in requests carrying a valid assertion from the gateway
    /// (<see cref="IdentityAssertionDefaults.AuthenticationScheme"/>). Its options are validated at start-up, each
    /// message naming its setting under <c>IdentityAssertion</c>.
    /// </summary>
    public static AuthenticationBuilder AddGatewayIdentityAssertion(this AuthenticationBuilder builder, Action<IdentityAssertionOptions> configure) =>
        builder.AddGatewayIdentityAssertion(IdentityAssertionDefaults.AuthenticationScheme, configure);

    public static AuthenticationBuilder AddGatewayIdentityAssertion(this AuthenticationBuilder builder, string authenticationScheme, Action<IdentityAssertionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        builder.Services.TryAddSingleton<IdentityAssertionVerifiers>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityAssertionOptions>, IdentityAssertionOptionsValidator>());
        builder.Services.AddOptions<IdentityAssertionOptions>(authenticationScheme).ValidateOnStart();
        return builder.AddScheme<IdentityAssertionOptions, IdentityAssertionHandler>(authenticationScheme, IdentityAssertionDefaults.DisplayName, configure);
    }

    private sealed class IdentityAssertionOptionsValidator : IValidateOptions<IdentityAssertionOptions>
    {
        public ValidateOptionsResult Validate(string? name, IdentityAssertionOptions options) =>
            IdentityAssertionVerifier.Validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
