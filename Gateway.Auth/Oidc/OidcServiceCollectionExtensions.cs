using Gateway.Auth.Login;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Auth.Oidc;

public static class OidcServiceCollectionExtensions
{
    /// <summary>
    /// One OpenID Connect scheme per <c>Oidc:Providers:{key}</c>: authorization code + PKCE, discovery and key
    /// rollover by the handler, its back channel bounded by the provider's <c>BackchannelTimeout</c>.
    /// </summary>
    public static AuthenticationBuilder AddOidcProviders(this AuthenticationBuilder builder, IConfiguration configuration)
    {
        var services = builder.Services;
        services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>());
        services.TryAddSingleton<OidcIdentityResolver>();
        services.TryAddSingleton(HtmlEncoder.Default);
        services.TryAddSingleton(UrlEncoder.Default);

        // Schemes come from the final, validated OidcOptions (a host may add configuration after this call), so
        // they are added when AuthenticationOptions is first built, not from the configuration seen here.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthenticationOptions>, OidcSchemes>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIdConnectOptions>, OidcSchemes>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        return builder;
    }

    public static IEndpointRouteBuilder MapOidcSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/auth/oidc/{provider}/start", (Func<HttpContext, string, Task>)OidcEndpoints.StartAsync);
        endpoints.MapPost("/auth/oidc/{provider}/logout", (Func<HttpContext, string, Task>)OidcEndpoints.LogoutAsync);
        endpoints.MapPost("/auth/oidc/{provider}/backchannel-logout", (Func<HttpContext, string, Task>)BackChannelLogout.HandleAsync);
        return endpoints;
    }

    internal static void Configure(OpenIdConnectOptions handler, string key, OidcProviderOptions provider, LoginOptions login)
    {
        handler.Authority = provider.Authority;
        handler.ClientId = provider.ClientId;
        handler.ClientSecret = provider.SecretFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : provider.ClientSecret;
        handler.RequireHttpsMetadata = provider.RequireHttpsMetadata;
        handler.ResponseType = OpenIdConnectResponseType.Code;
        handler.UsePkce = true;

        // Query, not form_post: the callback is then a top-level GET that carries SameSite=Lax cookies (the
        // correlation and nonce cookies, and for linking the gateway session) without needing SameSite=None.
        handler.ResponseMode = OpenIdConnectResponseMode.Query;
        handler.CallbackPath = OidcDefaults.CallbackPath(key);
        handler.SignedOutCallbackPath = OidcDefaults.SignedOutCallbackPath(key);
        handler.RemoteSignOutPath = OidcDefaults.CallbackPath(key) + "/front-channel-unused";
        handler.MapInboundClaims = false;
        handler.GetClaimsFromUserInfoEndpoint = false;
        handler.SaveTokens = false;
        handler.BackchannelTimeout = provider.BackchannelTimeout;
        handler.Scope.Clear();
        handler.Scope.Add("openid");
        foreach (var scope in provider.Scopes.Where(scope => scope != "openid"))
        {
            handler.Scope.Add(scope);
        }

        // The cookie is Secure when the public base URL is https, decided from configuration, never from the request.
        var secure = login.PublicBaseUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
            ? Microsoft.AspNetCore.Http.CookieSecurePolicy.Always
            : Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        foreach (var cookie in new[] { handler.CorrelationCookie, handler.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = secure;
        }

        handler.Events = OidcSignIn.Events(key);
    }
}
