namespace Gateway.Auth.Signing;

/// <summary>Configuration section <c>Signing</c>: the keys the gateway signs identity assertions with.</summary>
public sealed class SigningOptions
{
    public const string SectionName = "Signing";

    public string Issuer { get; set; } = AssertionFormat.DefaultIssuer;

    /// <summary>Time from issue to expiry of each assertion.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    public Hs256SigningOptions Hs256 { get; set; } = new();

    public Es256SigningOptions Es256 { get; set; } = new();

    /// <summary>
    /// Generates one HS256 master secret and one ES256 key when none are configured. Only the embedded development
    /// default may set this; the host refuses it elsewhere.
    /// </summary>
    public bool GenerateDevelopmentKeys { get; set; }

    /// <summary>
    /// Where generated development keys are kept so that they survive a restart; in memory when unset. A relative
    /// path is taken from the working directory, like the embedded default's SQLite <c>Data Source</c>.
    /// </summary>
    public string? DevelopmentKeysFile { get; set; }

    /// <summary>
    /// Also serves the ES256 JWK Set on the public listener at this path (for services that must not reach the
    /// management port); off when unset.
    /// </summary>
    public string? PublicJwksPath { get; set; }
}

public sealed class Hs256SigningOptions
{
    /// <summary>The master secret new assertions are signed with; the other keys stay only for printing audience keys during rotation.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>By key id (<c>Signing:Hs256:Keys:{kid}:SecretFile</c>), so that withdrawing a key is one line.</summary>
    public Dictionary<string, Hs256MasterSecretOptions> Keys { get; set; } = new(StringComparer.Ordinal);
}

public sealed class Hs256MasterSecretOptions
{
    /// <summary>Set only by the retired array form (<c>Keys:0:Id</c>), which is refused with a message saying how to name the key.</summary>
    public string? Id { get; set; }

    /// <summary>Base64, at least 32 bytes once decoded.</summary>
    public string? Secret { get; set; }

    /// <summary>A file whose content is the base64 secret; instead of <see cref="Secret"/>.</summary>
    public string? SecretFile { get; set; }
}

public sealed class Es256SigningOptions
{
    /// <summary>The key new assertions are signed with; every configured key is published in the JWKS.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>By key id (<c>Signing:Es256:Keys:{kid}:PrivateKeyFile</c>).</summary>
    public Dictionary<string, Es256KeyOptions> Keys { get; set; } = new(StringComparer.Ordinal);
}

public sealed class Es256KeyOptions
{
    /// <summary>Set only by the retired array form (<c>Keys:0:Id</c>), which is refused.</summary>
    public string? Id { get; set; }

    /// <summary>A P-256 private key in PEM (PKCS#8 or SEC1 "EC PRIVATE KEY").</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>A file holding <see cref="PrivateKeyPem"/>; instead of it.</summary>
    public string? PrivateKeyFile { get; set; }
}
