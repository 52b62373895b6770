namespace Gateway.Auth.Signing;

/// <summary>
/// The verification keys downstream services are given, from the key ring in use: the published ES256 keys (every
/// configured key, active or not, so that during a rotation services already hold the next key and still hold the
/// previous one), and the HS256 key of one audience, as <c>print-audience-key</c> prints it.
/// </summary>
public sealed class IdentityAssertionKeySet
{
    private readonly SigningKeys _keys;

    internal IdentityAssertionKeySet(SigningKeys keys) => _keys = keys;

    /// <summary>The JWK Set document (<c>application/jwk-set+json</c>): public keys only.</summary>
    public string JsonWebKeySetDocument => _keys.Current.JsonWebKeySetDocument;

    /// <summary>
    /// The HS256 keys of one audience by key id, base64: a secret for that service alone (it can verify, and forge,
    /// assertions addressed to it).
    /// </summary>
    public IReadOnlyDictionary<string, string> DeriveHs256AudienceKeys(string audience)
    {
        var ring = _keys.Current;
        return ring.Hs256MasterSecrets.Keys.ToDictionary(
            keyId => keyId,
            keyId => Convert.ToBase64String(ring.AudienceKey(audience, keyId)),
            StringComparer.Ordinal);
    }
}
