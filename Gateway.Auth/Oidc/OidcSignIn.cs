using System.IdentityModel.Tokens.Jwt;
using System.Globalization;
using Gateway.Auth.Identity;
using Gateway.Auth.Login;
using Gateway.Auth.Login.Pages;
using Gateway.Auth.Sessions;
using Gateway.Auth.Sessions.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Gateway.Auth.Oidc;

/// <summary>
/// The events of every provider's OpenID Connect handler: a sign-in the handler has checked in full (state,
/// correlation, code exchange, ID token, nonce) becomes a gateway session (the handler's own sign-in is never used), and every failure becomes the gateway's error page with an
/// <c>oidc_*</c> code instead of the handler's exception.
/// </summary>
internal static class OidcSignIn
{
    /// <summary>Item of the protected state: the person a <c>link=1</c> start was made for.</summary>
    public const string LinkPersonItem = "gateway.link_person";

    public static OpenIdConnectEvents Events(string provider) => new()
    {
        // From configuration, never from the request (THREATS 2): forwarded or Host headers cannot move where the
        // provider sends the code.
        OnRedirectToIdentityProvider = context =>
        {
            if (PublicBase(context.HttpContext) is { } publicBase)
            {
                context.ProtocolMessage.RedirectUri = publicBase + OidcDefaults.CallbackPath(provider);
            }

            return Task.CompletedTask;
        },
        OnRedirectToIdentityProviderForSignOut = context =>
        {
            if (PublicBase(context.HttpContext) is { } publicBase)
            {
                context.ProtocolMessage.PostLogoutRedirectUri = publicBase + OidcDefaults.SignedOutCallbackPath(provider);
            }

            return Task.CompletedTask;
        },
        // Not OnTokenValidated: the handler checks the nonce only after that event, so a sign-in made there would skip it.
        OnTicketReceived = context => TicketReceivedAsync(context, provider),
        OnAccessDenied = context =>
        {
            context.HandleResponse();
            return FailAsync(context.HttpContext, provider, new LoginException(StatusCodes.Status403Forbidden, OidcErrorCodes.AccessDenied, "The sign-in was refused at the provider."), context.Properties?.RedirectUri);
        },
        OnRemoteFailure = context =>
        {
            context.HandleResponse();
            return FailAsync(context.HttpContext, provider, Classify(context.Failure, context.HttpContext), context.Properties?.RedirectUri);
        },
    };

    private static async Task TicketReceivedAsync(TicketReceivedContext context, string provider)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<OidcOptions>>().Value.Providers[provider];
        var principal = context.Principal!;
        var subjectClaim = principal.FindFirst(JwtRegisteredClaimNames.Sub);
        var subject = subjectClaim?.Value;
        var issuer = principal.FindFirst(JwtRegisteredClaimNames.Iss)?.Value ?? subjectClaim?.Issuer ?? "";
        context.HandleResponse();
        try
        {
            if (string.IsNullOrEmpty(subject) || subject.Length > 255 || issuer.Length > 255)
            {
                throw new LoginException(StatusCodes.Status502BadGateway, OidcErrorCodes.ProviderError, "The provider's ID token carries no usable subject.");
            }

            var email = principal.FindFirst(options.EmailClaim)?.Value;
            var roles = options.RolesClaim is { Length: > 0 } rolesClaim
                ? principal.FindAll(rolesClaim).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).ToList()
                : [];
            CheckAllowed(options, email, roles);
            long? linkTo = null;
            if (context.Properties?.Items.TryGetValue(LinkPersonItem, out var link) == true)
            {
                linkTo = await LinkTargetAsync(http, link);
            }

            var resolver = http.RequestServices.GetRequiredService<OidcIdentityResolver>();
            var identity = await resolver.ResolveAsync(new OidcSubject(provider, issuer, subject, email, roles), linkTo, http.RequestAborted);
            await http.RequestServices.GetRequiredService<ISessionIssuer>().IssueAsync(http, identity, SessionTransport.Cookie, http.RequestAborted);
            OidcLog.SignedIn(Logger(http), provider, identity.PersonId.Value, linkTo is not null);
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Redirect(context.ReturnUri ?? "/");
        }
        catch (Exception e) when (LoginFailures.Map(e, Logger(http)) is { } failure)
        {
            await FailAsync(http, provider, failure, context.ReturnUri);
        }
    }

    /// <summary>
    /// Linking needs both sign-ins in this browser: the start was made with a gateway session of the person in the
    /// protected state, and the callback still presents a valid session of that same person.
    /// </summary>
    private static async Task<long> LinkTargetAsync(HttpContext context, string? link)
    {
        var session = await context.AuthenticateGatewaySessionAsync();
        if (!long.TryParse(link, NumberStyles.None, CultureInfo.InvariantCulture, out var personId) || session is null || session.PersonId.Value != personId)
        {
            throw new LoginException(StatusCodes.Status403Forbidden, OidcErrorCodes.LinkSessionMissing, "Linking needs the gateway session that started it: sign in again and start linking from the same browser.");
        }

        return personId;
    }

    private static void CheckAllowed(OidcProviderOptions options, string? email, IReadOnlyList<string> roles)
    {
        if (options.AllowedDomains.Count > 0)
        {
            var at = email?.LastIndexOf('@') ?? -1;
            var domain = at < 0 ? null : email![(at + 1)..];
            if (domain is null || !options.AllowedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
            {
                throw new LoginException(StatusCodes.Status403Forbidden, OidcErrorCodes.NotAllowed, "This account's e-mail domain may not sign in here.");
            }
        }

        if (options.RequiredRoles.Count > 0 && !roles.Any(role => options.RequiredRoles.Contains(role, StringComparer.Ordinal)))
        {
            throw new LoginException(StatusCodes.Status403Forbidden, OidcErrorCodes.NotAllowed, "This account lacks the role or group needed to sign in here.");
        }
    }

    /// <summary>The handler reports failures as exceptions of a few kinds; each gets the code a client can act on.</summary>
    private static LoginException Classify(Exception? failure, HttpContext context)
    {
        var message = failure?.Message ?? "";
        if (failure is not null && LoginFailures.Map(failure, Logger(context)) is { } mapped)
        {
            return mapped;
        }

        if (failure is OpenIdConnectProtocolInvalidNonceException)
        {
            return new(StatusCodes.Status400BadRequest, OidcErrorCodes.NonceInvalid, "The ID token's nonce does not belong to this sign-in: start again.");
        }

        if (message.Contains("Correlation failed", StringComparison.Ordinal))
        {
            return new(StatusCodes.Status400BadRequest, OidcErrorCodes.CorrelationFailed, "This sign-in was not started in this browser, or was already completed: start again.");
        }

        if (message.Contains("message.State", StringComparison.Ordinal))
        {
            return new(StatusCodes.Status400BadRequest, OidcErrorCodes.StateInvalid, "The reply from the provider carries no valid state: start the sign-in again.");
        }

        OidcLog.ProviderFailed(Logger(context), failure?.GetType().Name ?? "none");
        return new(StatusCodes.Status502BadGateway, OidcErrorCodes.ProviderError, "The provider's reply could not be used: try again.");
    }

    /// <summary>The error page offers to start this provider's sign-in again, towards the same return URL.</summary>
    private static Task FailAsync(HttpContext context, string provider, LoginException failure, string? returnUrl)
    {
        OidcLog.Refused(Logger(context), provider, failure.Code);
        returnUrl ??= "/";
        var retry = new LoginRetry(OidcDefaults.StartPath(provider) + QueryString.Create("returnUrl", returnUrl), returnUrl);
        return LoginResponses.ErrorPageAsync(context, failure, retry);
    }

    private static string? PublicBase(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<LoginOptions>>().Value.PublicBaseUrl?.TrimEnd('/');

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn).FullName!);
}
