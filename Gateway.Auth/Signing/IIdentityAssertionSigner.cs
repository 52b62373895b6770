namespace Gateway.Auth.Signing;

/// <summary>Signs the identity assertion injected into a proxied request.</summary>
public interface IIdentityAssertionSigner
{
    /// <exception cref="ArgumentException">
    /// The algorithm has no active key, or a value cannot be carried in a header, or the union id equals the openid.
    /// </exception>
    SignedIdentityAssertion Sign(IdentityAssertionRequest request);
}
