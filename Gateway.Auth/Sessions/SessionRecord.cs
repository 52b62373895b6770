using System.Text.Json.Serialization;
using Gateway.Auth.Identity;
using Gateway.IdentityAssertions;

namespace Gateway.Auth.Sessions;

/// <summary>
/// What the store keeps for one session (JSON, short member names). Times are Unix milliseconds; the person id stays
/// the number the token carries, the identifiers are typed and stored as plain strings.
/// <see cref="Epoch"/> is the person's revocation epoch when the session was issued (null when there was none).
/// <see cref="PhoneVerified"/> is absent from records written before it existed, which reads as false.
/// </summary>
internal sealed record SessionRecord(
    [property: JsonPropertyName("pid")] long PersonId,
    [property: JsonPropertyName("uid")] UnionId? UnionId,
    [property: JsonPropertyName("oid")] OpenId? OpenId,
    [property: JsonPropertyName("app")] AppId? AppId,
    [property: JsonPropertyName("chn")] string Channel,
    [property: JsonPropertyName("lid")] string? LegacyUserId,
    [property: JsonPropertyName("trn")] SessionTransport Transport,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("aexp")] long AbsoluteExpiresAt,
    [property: JsonPropertyName("iexp")] long IdleExpiresAt,
    [property: JsonPropertyName("ep")] string? Epoch,
    [property: JsonPropertyName("phv")] bool PhoneVerified = false,
    [property: JsonPropertyName("oidc")] OidcSubject? Oidc = null);

[JsonSerializable(typeof(SessionRecord))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true, Converters = [typeof(UnionIdJsonConverter), typeof(OpenIdJsonConverter), typeof(AppIdJsonConverter)])]
internal sealed partial class SessionJsonContext : JsonSerializerContext;
