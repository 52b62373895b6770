using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.IdentityAssertions;

namespace Gateway.Auth.Identity;

// The typed identity values stored as the plain strings and number they always were (session records, OAuth code
// records), so records written before the types existed still read. An empty string fails the read as malformed.

internal sealed class UnionIdJsonConverter : JsonConverter<UnionId>
{
    public override UnionId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(IdentityValueJson.ReadString(ref reader));

    public override void Write(Utf8JsonWriter writer, UnionId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class OpenIdJsonConverter : JsonConverter<OpenId>
{
    public override OpenId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(IdentityValueJson.ReadString(ref reader));

    public override void Write(Utf8JsonWriter writer, OpenId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class AppIdJsonConverter : JsonConverter<AppId>
{
    public override AppId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(IdentityValueJson.ReadString(ref reader));

    public override void Write(Utf8JsonWriter writer, AppId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class PersonIdJsonConverter : JsonConverter<PersonId>
{
    public override PersonId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) && id > 0 ? new PersonId(id) : throw new JsonException("A person id is a positive integer.");

    public override void Write(Utf8JsonWriter writer, PersonId value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}

internal static class IdentityValueJson
{
    public static string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } value ? value : throw new JsonException("An identity value is a non-empty string.");
}

/// <summary>
/// Writes a channel's one name (<see cref="LoginChannels.NameOf"/>). Reads it, and also the enum member name that
/// OAuth code records held before, so a record an older instance wrote during a rolling upgrade still reads.
/// </summary>
internal sealed class LoginChannelJsonConverter : JsonConverter<LoginChannel>
{
    public override LoginChannel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = IdentityValueJson.ReadString(ref reader);
        return LoginChannels.TryParse(name, out var channel)
            || (Enum.TryParse(name, ignoreCase: false, out channel) && Enum.IsDefined(channel) && !char.IsAsciiDigit(name[0]))
            ? channel
            : throw new JsonException($"'{name}' is not a login channel.");
    }

    public override void Write(Utf8JsonWriter writer, LoginChannel value, JsonSerializerOptions options) => writer.WriteStringValue(LoginChannels.NameOf(value));
}
