using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.IdentityAssertions;

/// <summary>
/// Verifies the gateway's assertion against the request as this service received it and, when it holds, signs the
/// request in: <see cref="HttpContext.User"/> carries <see cref="IdentityAssertionClaimTypes"/>, and
/// <see cref="IIdentityAssertionFeature"/> the verified assertion. A request without an assertion and without
/// identity headers is simply anonymous; authorization (<c>[Authorize]</c>, <c>RequireAuthorization()</c>) decides.
/// </summary>
internal sealed class IdentityAssertionHandler(
    IOptionsMonitor<IdentityAssertionOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IdentityAssertionVerifiers verifiers)
    : AuthenticationHandler<IdentityAssertionOptions>(options, logger, encoder), IAuthenticationRequestHandler
{
    private new IdentityAssertionEvents Events => (IdentityAssertionEvents)base.Events!;

    /// <summary>
    /// An assertion that does not verify, or identity headers nobody signed, are answered 401 before any endpoint
    /// runs, whether or not it asks for a user: a legacy service may read <c>X-Union-Id</c> straight from the headers.
    /// </summary>
    public async Task<bool> HandleRequestAsync()
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is null)
        {
            return false;
        }

        await ChallengeAsync(new AuthenticationProperties());
        return true;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new IdentityAssertionEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var verification = verifiers.For(Scheme.Name, Options).Verify(Request.Headers, Request.Method, RequestTarget(Context));
        if (!verification.Succeeded)
        {
            var reason = verification.FailureReason;
            if (reason == AssertionFailureReasons.Missing)
            {
                // Anonymous is fine; an identity header nobody signed is not, under any spelling PHP or CGI would
                // fold into X-Union-Id.
                if (!Request.Headers.Keys.Any(IdentityHeaders.IsIdentityHeader))
                {
                    return AuthenticateResult.NoResult();
                }

                reason = AssertionFailureReasons.HeaderMismatch;
            }

            return Refuse(AuthenticateResult.Fail(new IdentityAssertionException(reason)));
        }

        var validated = new IdentityAssertionValidatedContext(Context, Scheme, Options, verification.Identity)
        {
            Principal = ToPrincipal(verification.Identity),
        };
        await Events.AssertionValidated(validated);
        if (validated.Result is null)
        {
            validated.Success();
        }

        var result = validated.Result!;
        if (result.Failure is not null)
        {
            return Refuse(result);
        }

        if (result.Succeeded)
        {
            Context.Features.Set<IIdentityAssertionFeature>(new IdentityAssertionFeature(verification.Identity));
        }

        return result;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        var challenge = new IdentityAssertionChallengeContext(Context, Scheme, Options, properties, failure);
        await Events.Challenge(challenge);
        if (challenge.Handled)
        {
            return;
        }

        var body = failure is null
            ? new IdentityAssertionErrorBody("identity_assertion_required", "This endpoint needs a signed-in user: call it through the gateway.", challenge.FailureReason)
            : new IdentityAssertionErrorBody("identity_assertion_invalid", "The request does not carry a valid identity assertion from the gateway.", challenge.FailureReason);
        await WriteAsync(StatusCodes.Status401Unauthorized, body);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var forbidden = new IdentityAssertionForbiddenContext(Context, Scheme, Options, properties);
        await Events.Forbidden(forbidden);
        if (!forbidden.Handled)
        {
            await WriteAsync(StatusCodes.Status403Forbidden, new IdentityAssertionErrorBody("forbidden", "The signed-in user may not use this endpoint.", null));
        }
    }

    private AuthenticateResult Refuse(AuthenticateResult result)
    {
        VerificationLog.AssertionRefused(Logger, IdentityAssertionException.ReasonOf(result.Failure), Request.Method, Request.Path);
        return result;
    }

    private Task WriteAsync(int statusCode, IdentityAssertionErrorBody body)
    {
        Response.StatusCode = statusCode;
        Response.Headers.CacheControl = "no-store";
        return Response.WriteAsJsonAsync(body, IdentityAssertionJsonContext.Default.IdentityAssertionErrorBody, contentType: null, Context.RequestAborted);
    }

    /// <summary>The target as it arrived on the wire, which is what the gateway signed; decoded paths would differ.</summary>
    private static string RequestTarget(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/')
            ? context.Request.GetEncodedPathAndQuery()
            : rawTarget;
    }

    private ClaimsPrincipal ToPrincipal(VerifiedIdentityAssertion identity)
    {
        var claims = new List<Claim>(10 + identity.Roles.Count);
        void Add(string type, string? value)
        {
            if (value is not null)
            {
                claims.Add(new Claim(type, value, ClaimValueTypes.String, Options.Issuer));
            }
        }

        Add(IdentityAssertionClaimTypes.UnionId, identity.UnionId?.Value);
        Add(IdentityAssertionClaimTypes.PersonId, identity.PersonId?.ToString());
        Add(IdentityAssertionClaimTypes.OpenId, identity.OpenId?.Value);
        Add(IdentityAssertionClaimTypes.AppId, identity.AppId?.Value);
        Add(IdentityAssertionClaimTypes.Channel, identity.Channel);
        Add(IdentityAssertionClaimTypes.LegacyUserId, identity.LegacyUserId);
        Add(IdentityAssertionClaimTypes.Provider, identity.Provider);
        Add(IdentityAssertionClaimTypes.Subject, identity.Subject);
        Add(IdentityAssertionClaimTypes.Email, identity.Email);
        foreach (var role in identity.Roles)
        {
            Add(IdentityAssertionClaimTypes.Role, role);
        }

        Add(IdentityAssertionClaimTypes.ClientId, identity.ClientId);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name, IdentityAssertionClaimTypes.UnionId, IdentityAssertionClaimTypes.Role));
    }
}
