namespace Gateway.Auth.Signing;

/// <summary>
/// The published ES256 verification keys: every configured key, active or not, so that during a rotation
/// downstream services already hold the next key and still hold the previous one.
/// </summary>
public sealed class IdentityAssertionKeySet
{
    internal IdentityAssertionKeySet(SigningKeyRing ring) =>
        JsonWebKeySetDocument = JsonWebKeySet.Write(ring.Es256Keys.Select(k => (k.Id, k.Key)));

    /// <summary>The JWK Set document (<c>application/jwk-set+json</c>).</summary>
    public string JsonWebKeySetDocument { get; }
}
