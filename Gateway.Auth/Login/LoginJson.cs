using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Auth.Identity;

namespace Gateway.Auth.Login;

/// <summary>A session was issued. <see cref="Token"/> is the bearer token (absent for cookie sessions).</summary>
internal sealed record LoginSucceeded(string Status, string? Token, DateTimeOffset ExpiresAt, string? UnionId, long PersonId);

/// <summary>The Mini Program must post the user's encrypted data with <see cref="Ticket"/> to the bind endpoint.</summary>
internal sealed record UserInfoNeeded(string Status, string Ticket, int ExpiresIn);

internal sealed record PhoneNumberAttached(string Status, string PhoneNumber, string PurePhoneNumber, string CountryCode);

internal sealed record OAuthStateRecord(string App, string Scope, string ReturnUrl, string NonceHash);

/// <summary>What became of an exchanged OAuth code, kept briefly so a repeated callback gets the same outcome.</summary>
internal sealed record OAuthCodeRecord(string Binding, bool Done, LoginIdentity? Login, string? ReturnUrl, int? ErrorStatus, string? ErrorCode, string? ErrorMessage);

internal sealed record TicketRecord(string AppId, string OpenId);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UnionIdJsonConverter), typeof(OpenIdJsonConverter), typeof(AppIdJsonConverter)])]
[JsonSerializable(typeof(LoginSucceeded))]
[JsonSerializable(typeof(UserInfoNeeded))]
[JsonSerializable(typeof(PhoneNumberAttached))]
[JsonSerializable(typeof(OAuthStateRecord))]
[JsonSerializable(typeof(OAuthCodeRecord))]
[JsonSerializable(typeof(TicketRecord))]
internal sealed partial class LoginJsonContext : JsonSerializerContext;
