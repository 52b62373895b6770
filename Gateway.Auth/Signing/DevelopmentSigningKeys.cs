using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Signing;

/// <summary>
/// Fills an empty <c>Signing</c> section with generated keys when <see cref="SigningOptions.GenerateDevelopmentKeys"/>
/// is set, keeping them in <see cref="SigningOptions.DevelopmentKeysFile"/> (mode 600) when configured so that
/// a downstream given its key by <c>print-audience-key</c> keeps working across restarts.
/// </summary>
internal sealed class DevelopmentSigningKeys : IPostConfigureOptions<SigningOptions>
{
    public const string Hs256KeyId = "dev-hs256";
    public const string Es256KeyId = "dev-es256";

    public void PostConfigure(string? name, SigningOptions options)
    {
        if (!options.GenerateDevelopmentKeys || options.Hs256.Keys.Count > 0 || options.Es256.Keys.Count > 0)
        {
            return;
        }

        var keys = options.DevelopmentKeysFile is { } file ? LoadOrCreate(Path.GetFullPath(file)) : Generate();
        Apply(options, keys);
    }

    public static void Apply(SigningOptions options, StoredKeys keys)
    {
        options.Hs256.Keys = new(StringComparer.Ordinal) { [Hs256KeyId] = new() { Secret = keys.Hs256Secret } };
        options.Hs256.ActiveKeyId = Hs256KeyId;
        options.Es256.Keys = new(StringComparer.Ordinal) { [Es256KeyId] = new() { PrivateKeyPem = keys.Es256PrivateKeyPem } };
        options.Es256.ActiveKeyId = Es256KeyId;
    }

    public static StoredKeys Generate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new StoredKeys(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ecdsa.ExportPkcs8PrivateKeyPem());
    }

    private static StoredKeys LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"Signing:DevelopmentKeysFile '{path}' is empty.");
        }

        var keys = Generate();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, fileOptions);
            JsonSerializer.Serialize(stream, keys);
            return keys;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of the embedded default created it first; both must use the same keys.
            return LoadOrCreate(path);
        }
    }

    internal sealed record StoredKeys(string Hs256Secret, string Es256PrivateKeyPem);
}
