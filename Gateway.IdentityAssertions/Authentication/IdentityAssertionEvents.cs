namespace Gateway.IdentityAssertions;

/// <summary>The identity assertion scheme's extension points, in the style of <c>JwtBearerEvents</c>.</summary>
public class IdentityAssertionEvents
{
    /// <summary>
    /// After the assertion verified and before the request is signed in: add claims from the service's own data
    /// (roles, for instance) to <c>Principal</c>, or refuse with <c>Fail(new IdentityAssertionException(reason))</c>.
    /// </summary>
    public Func<IdentityAssertionValidatedContext, Task> OnAssertionValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401 is written; call <c>HandleResponse()</c> to write another.</summary>
    public Func<IdentityAssertionChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 403 is written; call <c>HandleResponse()</c> to write another.</summary>
    public Func<IdentityAssertionForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    public virtual Task AssertionValidated(IdentityAssertionValidatedContext context) => OnAssertionValidated(context);

    public virtual Task Challenge(IdentityAssertionChallengeContext context) => OnChallenge(context);

    public virtual Task Forbidden(IdentityAssertionForbiddenContext context) => OnForbidden(context);
}
