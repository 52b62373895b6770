using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Auth.Profiles;

public sealed record ProfileSaved(string Status, string? Nickname, string? AvatarUrl);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProfileSaved))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
