using System.Security.Claims;
using Gateway.Auth.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Verification;

/// <summary>
/// Verifies the gateway's assertion against the request as this service received it and exposes the identity as
/// <see cref="IIdentityAssertionFeature"/> and as <see cref="HttpContext.User"/> (authentication type
/// <see cref="AuthenticationType"/>, name claim <c>uid</c>).
/// </summary>
internal sealed class IdentityAssertionVerificationMiddleware(
    RequestDelegate next,
    IdentityAssertionVerifier verifier,
    IOptions<IdentityAssertionVerifierOptions> options,
    ILogger<IdentityAssertionVerificationMiddleware> logger)
{
    public const string AuthenticationType = "IdentityAssertion";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var result = verifier.Verify(request.Headers, request.Method, RequestTarget(context));
        if (result.Succeeded)
        {
            context.Features.Set<IIdentityAssertionFeature>(new IdentityAssertionFeature(result.Identity));
            context.User = ToPrincipal(result.Identity);
            return next(context);
        }

        var reason = result.FailureReason;
        if (reason == AssertionFailureReasons.Missing && !options.Value.Required)
        {
            // Anonymous is fine; an identity header nobody signed is not, in case the service reads headers directly.
            if (!IdentityHeaders.Bound.Any(bound => request.Headers.ContainsKey(bound.Header)))
            {
                return next(context);
            }

            reason = AssertionFailureReasons.HeaderMismatch;
        }

        VerificationLog.AssertionRefused(logger, reason, request.Method, request.Path);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return context.Response.WriteAsJsonAsync(new
        {
            code = "identity_assertion_invalid",
            reason,
            message = "The request does not carry a valid identity assertion from the gateway.",
        });
    }

    /// <summary>The target as it arrived on the wire, which is what the gateway signed; decoded paths would differ.</summary>
    private static string RequestTarget(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(rawTarget) || !rawTarget.StartsWith('/')
            ? context.Request.GetEncodedPathAndQuery()
            : rawTarget;
    }

    private static ClaimsPrincipal ToPrincipal(VerifiedIdentityAssertion identity)
    {
        var claims = new List<Claim>();
        void Add(string type, string? value)
        {
            if (value is not null)
            {
                claims.Add(new Claim(type, value));
            }
        }

        Add(AssertionClaimNames.UnionId, identity.UnionId);
        Add(AssertionClaimNames.PersonId, identity.PersonId);
        Add(AssertionClaimNames.OpenId, identity.OpenId);
        Add(AssertionClaimNames.AppId, identity.AppId);
        Add(AssertionClaimNames.Channel, identity.Channel);
        Add(AssertionClaimNames.LegacyUserId, identity.LegacyUserId);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, AssertionClaimNames.UnionId, roleType: null));
    }
}
