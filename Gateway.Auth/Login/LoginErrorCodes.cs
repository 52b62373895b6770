namespace Gateway.Auth.Login;

/// <summary>Every code a login client can receive (documented in docs/login.md); clients branch on these.</summary>
public static class LoginErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string RequestTooLarge = "request_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string PhoneCodeNotForUser = "phone_code_not_for_user";
    public const string AppNotFound = "app_not_found";
    public const string CodeInvalid = "code_invalid";
    public const string TicketInvalid = "ticket_invalid";
    public const string DecryptFailed = "decrypt_failed";
    public const string WatermarkMismatch = "watermark_mismatch";
    public const string SignatureInvalid = "signature_invalid";
    public const string SnapshotUser = "snapshot_user";
    public const string PersonDisabled = "person_disabled";
    public const string IdentityConflict = "identity_conflict";
    public const string HighRiskUser = "high_risk_user";
    public const string RateLimited = "rate_limited";
    public const string WeChatUnavailable = "wechat_unavailable";
    public const string WeChatMisconfigured = "wechat_misconfigured";
    public const string WeChatError = "wechat_error";
    public const string ServiceUnavailable = "service_unavailable";
    public const string SessionRequired = "session_required";
    public const string SessionAppMismatch = "session_app_mismatch";
    public const string StateMissing = "state_missing";
    public const string StateInvalid = "state_invalid";
    public const string StateMismatch = "state_mismatch";
    public const string AuthorizationRefused = "authorization_refused";
    public const string ReturnUrlRejected = "return_url_rejected";
}

/// <summary>A login refused with an HTTP status and a client-facing code; the message is safe to show.</summary>
internal sealed class LoginException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    /// <summary>Seconds a client should wait, for 429 and 503.</summary>
    public int? RetryAfterSeconds { get; init; }
}
