using System.Text.Json.Serialization;

namespace Gateway.IdentityAssertions;

/// <summary>The shape of the gateway's own errors, <c>{code, message}</c>, plus the verifier's reason when there is one.</summary>
internal sealed record IdentityAssertionErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

[JsonSerializable(typeof(IdentityAssertionErrorBody))]
internal sealed partial class IdentityAssertionJsonContext : JsonSerializerContext;
