using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Auth.Signing;

/// <summary>
/// Writing side of the compact JWS serialisation (RFC 7515 §7.1); the verifier's strict parser is in
/// Gateway.IdentityAssertions.
/// </summary>
internal static class CompactJws
{
    /// <summary>Escapes only what JSON requires, so <c>typ</c> reads <c>wgw-id+jwt</c> and paths keep their '&amp;'.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] EncodeHeader(string algorithm, string keyId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", algorithm);
            writer.WriteString("kid", keyId);
            writer.WriteString("typ", AssertionFormat.Type);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
