namespace Gateway.Auth.Verification;

/// <summary>The verified identity of the current request, set by the verification middleware.</summary>
public interface IIdentityAssertionFeature
{
    VerifiedIdentityAssertion Identity { get; }
}

internal sealed record IdentityAssertionFeature(VerifiedIdentityAssertion Identity) : IIdentityAssertionFeature;
