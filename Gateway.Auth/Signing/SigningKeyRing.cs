using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Gateway.Auth.Signing;

/// <summary>
/// The decoded keys of one <see cref="SigningOptions"/> snapshot and every value derived from them (audience keys,
/// encoded headers, the JWK Set). Immutable apart from its caches, so a reload swaps one reference and a request
/// signed with a ring uses that ring's keys only. Loading collects every problem with a message naming the setting,
/// so start-up validation, reload and the key ring can never disagree.
/// </summary>
internal sealed class SigningKeyRing : IDisposable
{
    // Clusters are few and fixed by configuration, so deriving each audience key once per ring is bounded.
    private readonly ConcurrentDictionary<(string Audience, string KeyId), byte[]> _audienceKeys = new();

    // The protected header is one of a handful per ring: encode each once.
    private readonly ConcurrentDictionary<(string Algorithm, string KeyId), string> _encodedHeaders = new();

    private SigningKeyRing(
        SigningOptions options,
        IReadOnlyDictionary<string, byte[]> hs256MasterSecrets,
        IReadOnlyList<EcSigningKey> es256Keys,
        IReadOnlyList<string> keyFiles)
    {
        Issuer = options.Issuer;
        LifetimeSeconds = (long)options.Lifetime.TotalSeconds;
        Hs256MasterSecrets = hs256MasterSecrets;
        Hs256ActiveKeyId = options.Hs256.ActiveKeyId;
        Es256Keys = es256Keys;
        Es256ActiveKeyId = options.Es256.ActiveKeyId;
        Es256ActiveKey = es256Keys.FirstOrDefault(k => k.Id == Es256ActiveKeyId);
        KeyFiles = keyFiles;
        JsonWebKeySetDocument = JsonWebKeySet.Write(es256Keys.Select(k => (k.Id, k.Key)));
    }

    public string Issuer { get; }

    public long LifetimeSeconds { get; }

    public IReadOnlyDictionary<string, byte[]> Hs256MasterSecrets { get; }

    public string? Hs256ActiveKeyId { get; }

    /// <summary>Ordered by key id, which is the order the JWKS lists them.</summary>
    public IReadOnlyList<EcSigningKey> Es256Keys { get; }

    public string? Es256ActiveKeyId { get; }

    public EcSigningKey? Es256ActiveKey { get; }

    /// <summary>The full paths of the <c>SecretFile</c> and <c>PrivateKeyFile</c> settings this ring was read from.</summary>
    public IReadOnlyList<string> KeyFiles { get; }

    /// <summary>The public keys of <see cref="Es256Keys"/> (<c>application/jwk-set+json</c>); never a private member.</summary>
    public string JsonWebKeySetDocument { get; }

    public byte[] AudienceKey(string audience, string keyId) =>
        _audienceKeys.GetOrAdd((audience, keyId), k => Hs256KeyDerivation.DeriveAudienceKey(Hs256MasterSecrets[k.KeyId], k.Audience, k.KeyId));

    public string EncodedHeader(string algorithm, string keyId) =>
        _encodedHeaders.GetOrAdd((algorithm, keyId), k => Base64Url.EncodeToString(CompactJws.EncodeHeader(k.Algorithm, k.KeyId)));

    /// <summary>Whether a reload read exactly these keys again (a touched file, a change elsewhere in configuration).</summary>
    public bool HasSameKeysAs(SigningKeyRing other) =>
        Issuer == other.Issuer
        && LifetimeSeconds == other.LifetimeSeconds
        && Hs256ActiveKeyId == other.Hs256ActiveKeyId
        && Es256ActiveKeyId == other.Es256ActiveKeyId
        && JsonWebKeySetDocument == other.JsonWebKeySetDocument
        && Hs256MasterSecrets.Count == other.Hs256MasterSecrets.Count
        && Hs256MasterSecrets.All(pair => other.Hs256MasterSecrets.TryGetValue(pair.Key, out var secret)
            && CryptographicOperations.FixedTimeEquals(pair.Value, secret));

    public static SigningKeyRing Load(SigningOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add("Signing:Issuer is required.");
        }

        if (options.Lifetime < TimeSpan.FromSeconds(1) || options.Lifetime > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Signing:Lifetime must be between 00:00:01 and 00:10:00 (is {options.Lifetime}).");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        var secrets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, key) in options.Hs256.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var setting = $"Signing:Hs256:Keys:{name}";
            if (CheckId(name, key.Id, setting, "SecretFile", ids, errors) is { } id
                && ReadSecret(key.Secret, key.SecretFile, setting, "Secret", "SecretFile", files, errors) is { } source
                && DecodeMasterSecret(source, errors) is { } secret)
            {
                secrets[id] = secret;
            }
        }

        var ecKeys = new List<EcSigningKey>();
        foreach (var (name, key) in options.Es256.Keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var setting = $"Signing:Es256:Keys:{name}";
            if (CheckId(name, key.Id, setting, "PrivateKeyFile", ids, errors) is { } id
                && ReadSecret(key.PrivateKeyPem, key.PrivateKeyFile, setting, "PrivateKeyPem", "PrivateKeyFile", files, errors) is { } source
                && ImportP256(source, errors) is { } ecdsa)
            {
                ecKeys.Add(new EcSigningKey(id, ecdsa));
            }
        }

        CheckActive("Hs256", options.Hs256.ActiveKeyId, options.Hs256.Keys.Keys, errors);
        CheckActive("Es256", options.Es256.ActiveKeyId, options.Es256.Keys.Keys, errors);
        if (options.Hs256.Keys.Count == 0 && options.Es256.Keys.Count == 0)
        {
            errors.Add("Signing needs at least one key: configure Signing:Hs256:Keys:{kid} or Signing:Es256:Keys:{kid}.");
        }

        return new SigningKeyRing(options, secrets, ecKeys, files);
    }

    /// <summary>Loads options that were validated at start-up; throws if they were not.</summary>
    public static SigningKeyRing LoadValidated(SigningOptions options)
    {
        var errors = new List<string>();
        var ring = Load(options, errors);
        if (errors.Count > 0)
        {
            ring.Dispose();
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        return ring;
    }

    public void Dispose()
    {
        foreach (var key in Es256Keys)
        {
            key.Key.Dispose();
        }
    }

    private static string? CheckId(string id, string? arrayFormId, string setting, string fileName, HashSet<string> ids, List<string> errors)
    {
        if (arrayFormId is not null)
        {
            errors.Add($"{setting}:Id is the array form, which is no longer read: name the key by its id instead, as {setting[..setting.LastIndexOf(':')]}:{arrayFormId}:{fileName} (see docs/identity-assertion.md, Configuration).");
            return null;
        }

        if (!AssertionFormat.IsValidKeyId(id))
        {
            errors.Add($"{setting}: the key id '{id}' is not valid (1 to 64 letters, digits, '-', '_' or '.').");
            return null;
        }

        if (!ids.Add(id))
        {
            errors.Add($"{setting}: key id '{id}' is used by another key; key ids must be unique across Signing:Hs256 and Signing:Es256.");
            return null;
        }

        return id;
    }

    /// <summary>The key text and the setting it came from, so that a problem with it names that very setting.</summary>
    private static (string Text, string Setting)? ReadSecret(
        string? inline, string? file, string setting, string inlineName, string fileName, List<string> files, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(inline) == string.IsNullOrWhiteSpace(file))
        {
            errors.Add($"{setting} needs exactly one of {inlineName} and {fileName}.");
            return null;
        }

        if (!string.IsNullOrWhiteSpace(inline))
        {
            return (inline, $"{setting}:{inlineName}");
        }

        var path = Path.Combine(AppContext.BaseDirectory, file!);
        files.Add(path);
        try
        {
            return (File.ReadAllText(path), $"{setting}:{fileName} '{path}'");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{setting}:{fileName} '{path}' cannot be read: {ex.Message}");
            return null;
        }
    }

    private static byte[]? DecodeMasterSecret((string Text, string Setting) source, List<string> errors)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(source.Text.Trim());
        }
        catch (FormatException)
        {
            errors.Add($"{source.Setting} is not valid base64.");
            return null;
        }

        if (secret.Length < Hs256KeyDerivation.KeyLength)
        {
            errors.Add($"{source.Setting} is {secret.Length} bytes; at least {Hs256KeyDerivation.KeyLength} are required.");
            return null;
        }

        return secret;
    }

    private static ECDsa? ImportP256((string Text, string Setting) source, List<string> errors)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(source.Text);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
            if (parameters.Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return ecdsa;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            // A public key, another key type or broken PEM: all reported below under the setting's name.
        }

        ecdsa.Dispose();
        errors.Add($"{source.Setting} is not a P-256 (prime256v1) EC private key in PEM.");
        return null;
    }

    private static void CheckActive(string algorithm, string? activeKeyId, ICollection<string> ids, List<string> errors)
    {
        if (activeKeyId is null)
        {
            if (ids.Count > 0)
            {
                errors.Add($"Signing:{algorithm}:ActiveKeyId is required when Signing:{algorithm}:Keys is not empty.");
            }
        }
        else if (!ids.Contains(activeKeyId, StringComparer.Ordinal))
        {
            errors.Add($"Signing:{algorithm}:ActiveKeyId '{activeKeyId}' does not name a key in Signing:{algorithm}:Keys (configured: {string.Join(", ", ids.Order(StringComparer.Ordinal))}).");
        }
    }
}

/// <summary>
/// One ES256 key. Signing is serialised per key because <see cref="ECDsa"/> instances are not documented as
/// thread-safe; at about 20 µs a signature the lock is never the bottleneck of a proxied request.
/// </summary>
internal sealed class EcSigningKey(string id, ECDsa key)
{
    private readonly Lock _gate = new();

    public string Id { get; } = id;

    public ECDsa Key { get; } = key;

    public byte[] Sign(byte[] data)
    {
        lock (_gate)
        {
            return Key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }
}
