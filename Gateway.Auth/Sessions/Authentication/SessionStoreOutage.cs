using Gateway.Auth.Storage.Ephemeral;

namespace Gateway.Auth.Sessions.Authentication;

/// <summary>
/// Request feature: the request presented a session the store could not check. Authorization refuses such a
/// request on every gateway policy, and the challenge answers 503: neither a refusal nor an anonymous pass would
/// tell the truth.
/// </summary>
internal sealed record SessionStoreOutage(EphemeralStoreUnavailableException Exception);
