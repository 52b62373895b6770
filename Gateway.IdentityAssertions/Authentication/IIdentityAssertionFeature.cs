namespace Gateway.IdentityAssertions;

/// <summary>The verified assertion of the current request, set by the identity assertion scheme when it signs the request in.</summary>
public interface IIdentityAssertionFeature
{
    VerifiedIdentityAssertion Identity { get; }
}

internal sealed record IdentityAssertionFeature(VerifiedIdentityAssertion Identity) : IIdentityAssertionFeature;
