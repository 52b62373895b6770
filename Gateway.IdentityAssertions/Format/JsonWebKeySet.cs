using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Gateway.IdentityAssertions;

/// <summary>Writes and reads the ES256 public keys as a JWK Set (RFC 7517): <c>{"keys":[{kty,crv,x,y,kid,alg,use}]}</c>.</summary>
public static class JsonWebKeySet
{
    public static string Write(IEnumerable<(string KeyId, ECDsa Key)> keys)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var (keyId, key) in keys)
            {
                var point = key.ExportParameters(includePrivateParameters: false).Q;
                writer.WriteStartObject();
                writer.WriteString("kty", "EC");
                writer.WriteString("crv", "P-256");
                writer.WriteString("x", Base64Url.EncodeToString(point.X));
                writer.WriteString("y", Base64Url.EncodeToString(point.Y));
                writer.WriteString("kid", keyId);
                writer.WriteString("alg", AssertionFormat.Es256);
                writer.WriteString("use", "sig");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The P-256 public keys of a JWK Set by key id. Keys of other types or algorithms are skipped; a malformed
    /// document, a duplicate kid or an invalid point is an error.
    /// </summary>
    /// <exception cref="FormatException">The document is not a usable JWK Set.</exception>
    public static IReadOnlyDictionary<string, ECDsa> ReadEs256PublicKeys(string json)
    {
        var result = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("A JWK Set needs a \"keys\" array.");
            }

            foreach (var jwk in keys.EnumerateArray())
            {
                if (Member(jwk, "kty") != "EC" || Member(jwk, "crv") != "P-256" || Member(jwk, "alg") is not (null or AssertionFormat.Es256)
                    || Member(jwk, "use") is not (null or "sig"))
                {
                    continue;
                }

                var keyId = Member(jwk, "kid");
                if (!AssertionFormat.IsValidKeyId(keyId) || result.ContainsKey(keyId!))
                {
                    throw new FormatException($"JWK kid '{keyId}' is missing, invalid or used twice.");
                }

                var parameters = new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Coordinate(jwk, "x"), Y = Coordinate(jwk, "y") },
                };
                result.Add(keyId!, ECDsa.Create(parameters));
            }
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException or InvalidOperationException or FormatException)
        {
            foreach (var key in result.Values)
            {
                key.Dispose();
            }

            throw new FormatException("The JWK Set is not valid: " + ex.Message, ex);
        }

        return result;
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.ValueKind == JsonValueKind.Object && jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static byte[] Coordinate(JsonElement jwk, string name)
    {
        var text = Member(jwk, name);
        if (text is null || !Base64Url.IsValid(text, out var length) || length != 32)
        {
            throw new FormatException($"JWK member '{name}' must be 32 bytes in base64url.");
        }

        return Base64Url.DecodeFromChars(text);
    }
}
