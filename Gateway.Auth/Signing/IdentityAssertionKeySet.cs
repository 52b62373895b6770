namespace Gateway.Auth.Signing;

/// <summary>
/// The verification keys downstream services are given: the published ES256 keys (every configured key, active or
/// not, so that during a rotation services already hold the next key and still hold the previous one), and the
/// HS256 key of one audience, as <c>print-audience-key</c> prints it.
/// </summary>
public sealed class IdentityAssertionKeySet
{
    private readonly SigningKeyRing _ring;

    internal IdentityAssertionKeySet(SigningKeyRing ring)
    {
        _ring = ring;
        JsonWebKeySetDocument = JsonWebKeySet.Write(_ring.Es256Keys.Select(k => (k.Id, k.Key)));
    }

    /// <summary>The JWK Set document (<c>application/jwk-set+json</c>).</summary>
    public string JsonWebKeySetDocument { get; }

    /// <summary>
    /// The HS256 keys of one audience by key id, base64: a secret for that service alone (it can verify, and forge,
    /// assertions addressed to it).
    /// </summary>
    public IReadOnlyDictionary<string, string> DeriveHs256AudienceKeys(string audience) =>
        _ring.Hs256MasterSecrets.ToDictionary(
            pair => pair.Key,
            pair => Convert.ToBase64String(Hs256KeyDerivation.DeriveAudienceKey(pair.Value, audience, pair.Key)),
            StringComparer.Ordinal);
}
