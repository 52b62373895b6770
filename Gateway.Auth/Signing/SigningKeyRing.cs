using System.Security.Cryptography;

namespace Gateway.Auth.Signing;

/// <summary>
/// The decoded keys of validated <see cref="SigningOptions"/>. Loading collects every problem with a message naming
/// the setting, so start-up validation and the key ring can never disagree.
/// </summary>
internal sealed class SigningKeyRing : IDisposable
{
    private SigningKeyRing(
        IReadOnlyDictionary<string, byte[]> hs256MasterSecrets,
        string? hs256ActiveKeyId,
        IReadOnlyList<EcSigningKey> es256Keys,
        string? es256ActiveKeyId)
    {
        Hs256MasterSecrets = hs256MasterSecrets;
        Hs256ActiveKeyId = hs256ActiveKeyId;
        Es256Keys = es256Keys;
        Es256ActiveKeyId = es256ActiveKeyId;
        Es256ActiveKey = es256Keys.FirstOrDefault(k => k.Id == es256ActiveKeyId);
    }

    public IReadOnlyDictionary<string, byte[]> Hs256MasterSecrets { get; }

    public string? Hs256ActiveKeyId { get; }

    /// <summary>In configuration order, which is the order the JWKS lists them.</summary>
    public IReadOnlyList<EcSigningKey> Es256Keys { get; }

    public string? Es256ActiveKeyId { get; }

    public EcSigningKey? Es256ActiveKey { get; }

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
        var secrets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < options.Hs256.Keys.Count; i++)
        {
            var key = options.Hs256.Keys[i];
            var setting = $"Signing:Hs256:Keys:{i}";
            if (CheckId(key.Id, setting, ids, errors) is { } id
                && ReadSecret(key.Secret, key.SecretFile, setting, "Secret", "SecretFile", errors) is { } text)
            {
                if (DecodeMasterSecret(text, setting, errors) is { } secret)
                {
                    secrets[id] = secret;
                }
            }
        }

        var ecKeys = new List<EcSigningKey>();
        for (var i = 0; i < options.Es256.Keys.Count; i++)
        {
            var key = options.Es256.Keys[i];
            var setting = $"Signing:Es256:Keys:{i}";
            if (CheckId(key.Id, setting, ids, errors) is { } id
                && ReadSecret(key.PrivateKeyPem, key.PrivateKeyFile, setting, "PrivateKeyPem", "PrivateKeyFile", errors) is { } pem)
            {
                if (ImportP256(pem, setting, errors) is { } ecdsa)
                {
                    ecKeys.Add(new EcSigningKey(id, ecdsa));
                }
            }
        }

        CheckActive("Hs256", options.Hs256.ActiveKeyId, options.Hs256.Keys.Select(k => k.Id), errors);
        CheckActive("Es256", options.Es256.ActiveKeyId, options.Es256.Keys.Select(k => k.Id), errors);
        if (options.Hs256.Keys.Count == 0 && options.Es256.Keys.Count == 0)
        {
            errors.Add("Signing needs at least one key: configure Signing:Hs256:Keys or Signing:Es256:Keys.");
        }

        return new SigningKeyRing(secrets, options.Hs256.ActiveKeyId, ecKeys, options.Es256.ActiveKeyId);
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

    private static string? CheckId(string? id, string setting, HashSet<string> ids, List<string> errors)
    {
        if (!AssertionFormat.IsValidKeyId(id))
        {
            errors.Add($"{setting}:Id '{id}' is not a valid key id (1 to 64 letters, digits, '-', '_' or '.').");
            return null;
        }

        if (!ids.Add(id!))
        {
            errors.Add($"{setting}:Id '{id}' is used by another key; key ids must be unique across Signing:Hs256 and Signing:Es256.");
            return null;
        }

        return id;
    }

    private static string? ReadSecret(string? inline, string? file, string setting, string inlineName, string fileName, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(inline) == string.IsNullOrWhiteSpace(file))
        {
            errors.Add($"{setting} needs exactly one of {inlineName} and {fileName}.");
            return null;
        }

        if (!string.IsNullOrWhiteSpace(inline))
        {
            return inline;
        }

        var path = Path.Combine(AppContext.BaseDirectory, file!);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{setting}:{fileName} '{path}' cannot be read: {ex.Message}");
            return null;
        }
    }

    private static byte[]? DecodeMasterSecret(string text, string setting, List<string> errors)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            errors.Add($"{setting}:Secret is not valid base64.");
            return null;
        }

        if (secret.Length < Hs256KeyDerivation.KeyLength)
        {
            errors.Add($"{setting}:Secret is {secret.Length} bytes; at least {Hs256KeyDerivation.KeyLength} are required.");
            return null;
        }

        return secret;
    }

    private static ECDsa? ImportP256(string pem, string setting, List<string> errors)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
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
        errors.Add($"{setting}:PrivateKeyPem is not a P-256 (prime256v1) EC private key in PEM.");
        return null;
    }

    private static void CheckActive(string algorithm, string? activeKeyId, IEnumerable<string?> keyIds, List<string> errors)
    {
        var ids = keyIds.ToList();
        if (activeKeyId is null)
        {
            if (ids.Count > 0)
            {
                errors.Add($"Signing:{algorithm}:ActiveKeyId is required when Signing:{algorithm}:Keys is not empty.");
            }
        }
        else if (!ids.Contains(activeKeyId, StringComparer.Ordinal))
        {
            errors.Add($"Signing:{algorithm}:ActiveKeyId '{activeKeyId}' does not name a key in Signing:{algorithm}:Keys.");
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
