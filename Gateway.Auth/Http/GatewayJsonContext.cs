using System.Text.Json.Serialization;

namespace Gateway.Auth.Http;

[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
