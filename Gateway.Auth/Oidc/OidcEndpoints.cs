using System.Globalization;
using Gateway.Auth.Login;
using Gateway.Auth.Login.Pages;
using Gateway.Auth.Sessions;
using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Auth.Oidc;

/// <summary>
/// <c>/auth/oidc/{provider}/start?returnUrl=&amp;link=1</c> challenges the provider's scheme (the handler adds
/// state, nonce, PKCE and its correlation cookie); <c>/auth/oidc/{provider}/logout</c> ends the gateway session and,
/// when the provider has an end_session_endpoint, signs out there too (RP-initiated logout).
/// </summary>
internal static class OidcEndpoints
{
    public static async Task StartAsync(HttpContext context, string provider)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        await login.RunPageAsync(context, NoRetry, async () =>
        {
            Provider(context, provider);
            var query = context.Request.Query;
            if (!login.ReturnUrls.TryValidate(LoginRequest.Single(query, "returnUrl"), out var returnUrl))
            {
                throw new LoginException(StatusCodes.Status400BadRequest, LoginErrorCodes.ReturnUrlRejected, "returnUrl must be a path on this site or an allowed origin.");
            }

            var properties = new AuthenticationProperties { RedirectUri = returnUrl };
            if (LoginRequest.Single(query, "link") == "1")
            {
                var session = await context.AuthenticateGatewaySessionAsync()
                    ?? throw new LoginException(StatusCodes.Status401Unauthorized, OidcErrorCodes.LinkNeedsSession, "Sign in first: linking adds this account to the person you are signed in as.");
                properties.Items[OidcSignIn.LinkPersonItem] = session.PersonId.ToString();
            }

            context.Response.Headers.CacheControl = "no-store";
            try
            {
                await context.ChallengeAsync(OidcDefaults.Scheme(provider), properties);
            }
            catch (InvalidOperationException e) when (e.Message.StartsWith("IDX20803", StringComparison.Ordinal))
            {
                // The handler could not read the provider's discovery document within BackchannelTimeout.
                throw ProviderUnavailable();
            }
        });
    }

    public static async Task LogoutAsync(HttpContext context, string provider)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        await login.RunPageAsync(context, NoRetry, async () =>
        {
            Provider(context, provider);
            if (!await SessionEndpoint.SameSiteAsync(context, login.Logger))
            {
                return;
            }

            // The session scheme's own sign-out: every presented session ends and the cookie goes.
            await context.SignOutAsync(GatewaySessionDefaults.AuthenticationScheme);
            var scheme = OidcDefaults.Scheme(provider);
            var handlerOptions = context.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(scheme);
            var configuration = await ConfigurationAsync(handlerOptions, context.RequestAborted);

            if (string.IsNullOrEmpty(configuration.EndSessionEndpoint))
            {
                context.Response.Redirect("/");
                return;
            }

            await context.SignOutAsync(scheme, new AuthenticationProperties { RedirectUri = "/" });
        });
    }

    internal static LoginException ProviderUnavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, OidcErrorCodes.ProviderUnavailable, "The sign-in provider is not answering right now: try again shortly.") { RetryAfterSeconds = 5 };

    /// <summary>The provider's discovery document, as the handler caches it; 503 when it cannot be read in time.</summary>
    internal static async Task<OpenIdConnectConfiguration> ConfigurationAsync(OpenIdConnectOptions handler, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("IDX20803", StringComparison.Ordinal))
        {
            throw ProviderUnavailable();
        }
    }

    internal static void Provider(HttpContext context, string provider)
    {
        if (!context.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value.Providers.ContainsKey(provider))
        {
            throw new LoginException(StatusCodes.Status404NotFound, OidcErrorCodes.ProviderNotFound, "No OpenID Connect provider is configured under this key.");
        }
    }

    private static Task<LoginRetry?> NoRetry() => Task.FromResult<LoginRetry?>(null);
}
