using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Gateway.Auth.Http;

[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext
{
    /// <summary>Chinese messages as characters rather than \u escapes; HTML-sensitive characters are still escaped.</summary>
    public static GatewayJsonContext Readable { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) });
}
