using Gateway.Auth.Login;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Oidc;

/// <summary>One <see cref="OpenIdConnectHandler"/> scheme per configured provider, with its handler options.</summary>
internal sealed class OidcSchemes(IOptions<OidcOptions> oidc, IOptions<LoginOptions> login)
    : IConfigureOptions<AuthenticationOptions>, IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(AuthenticationOptions options)
    {
        foreach (var provider in oidc.Value.Providers.Keys)
        {
            options.AddScheme<OpenIdConnectHandler>(OidcDefaults.Scheme(provider), provider);
        }
    }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is not null && name.StartsWith(OidcDefaults.SchemePrefix, StringComparison.Ordinal)
            && oidc.Value.Providers.TryGetValue(name[OidcDefaults.SchemePrefix.Length..], out var provider))
        {
            OidcServiceCollectionExtensions.Configure(options, name[OidcDefaults.SchemePrefix.Length..], provider, login.Value);
        }
    }

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);
}
