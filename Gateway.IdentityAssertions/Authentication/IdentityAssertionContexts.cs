using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.IdentityAssertions;

/// <summary>A verified assertion, before the request is signed in with <see cref="ResultContext{TOptions}.Principal"/>.</summary>
public sealed class IdentityAssertionValidatedContext(
    HttpContext context, AuthenticationScheme scheme, IdentityAssertionOptions options, VerifiedIdentityAssertion assertion)
    : ResultContext<IdentityAssertionOptions>(context, scheme, options)
{
    public VerifiedIdentityAssertion Assertion { get; } = assertion;
}

/// <summary>
/// A 401 about to be written: to a request whose assertion failed (<see cref="AuthenticateFailure"/> set, with its
/// <see cref="FailureReason"/>), or to an anonymous request at an endpoint that needs a user.
/// </summary>
public sealed class IdentityAssertionChallengeContext(
    HttpContext context, AuthenticationScheme scheme, IdentityAssertionOptions options, AuthenticationProperties properties, Exception? authenticateFailure)
    : PropertiesContext<IdentityAssertionOptions>(context, scheme, options, properties)
{
    public Exception? AuthenticateFailure { get; } = authenticateFailure;

    /// <summary>One of <see cref="AssertionFailureReasons"/> (or the application's own); <c>missing</c> when there was no assertion.</summary>
    public string FailureReason => AuthenticateFailure is null ? AssertionFailureReasons.Missing : IdentityAssertionException.ReasonOf(AuthenticateFailure);

    public bool Handled { get; private set; }

    /// <summary>The application wrote the response itself; the default 401 body is skipped.</summary>
    public void HandleResponse() => Handled = true;
}

/// <summary>A 403 about to be written: the request is signed in but authorization refused it.</summary>
public sealed class IdentityAssertionForbiddenContext(
    HttpContext context, AuthenticationScheme scheme, IdentityAssertionOptions options, AuthenticationProperties properties)
    : PropertiesContext<IdentityAssertionOptions>(context, scheme, options, properties)
{
    public bool Handled { get; private set; }

    /// <summary>The application wrote the response itself; the default 403 body is skipped.</summary>
    public void HandleResponse() => Handled = true;
}
