using System.Diagnostics.CodeAnalysis;

namespace Gateway.IdentityAssertions;

/// <summary>Either the verified identity or one of <see cref="AssertionFailureReasons"/>.</summary>
public sealed class IdentityAssertionVerificationResult
{
    private IdentityAssertionVerificationResult(VerifiedIdentityAssertion? identity, string? failureReason)
    {
        Identity = identity;
        FailureReason = failureReason;
    }

    [MemberNotNullWhen(true, nameof(Identity))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool Succeeded => Identity is not null;

    public VerifiedIdentityAssertion? Identity { get; }

    public string? FailureReason { get; }

    public static IdentityAssertionVerificationResult Success(VerifiedIdentityAssertion identity) => new(identity, null);

    public static IdentityAssertionVerificationResult Failure(string reason) => new(null, reason);
}
