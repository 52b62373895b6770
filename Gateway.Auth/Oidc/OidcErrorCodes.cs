namespace Gateway.Auth.Oidc;

/// <summary>The codes an OpenID Connect sign-in fails with, on the gateway's error page or in its JSON.</summary>
public static class OidcErrorCodes
{
    public const string ProviderNotFound = "oidc_provider_not_found";

    /// <summary>The callback came without the correlation cookie of the browser that started it, or with another's.</summary>
    public const string CorrelationFailed = "oidc_correlation_failed";

    /// <summary>The callback's state is missing, altered, or not one this gateway issued.</summary>
    public const string StateInvalid = "oidc_state_invalid";

    public const string NonceInvalid = "oidc_nonce_invalid";

    /// <summary>The user or the provider refused (<c>error=access_denied</c>).</summary>
    public const string AccessDenied = "oidc_access_denied";

    /// <summary>The provider's e-mail or roles do not pass <c>AllowedDomains</c> / <c>RequiredRoles</c>.</summary>
    public const string NotAllowed = "oidc_not_allowed";

    /// <summary>Any other failure of the exchange with the provider (its error reply, a bad ID token, discovery down).</summary>
    public const string ProviderError = "oidc_provider_error";

    /// <summary>The provider's discovery document could not be read within <c>BackchannelTimeout</c>.</summary>
    public const string ProviderUnavailable = "oidc_provider_unavailable";

    /// <summary>A <c>link=1</c> sign-in came back without the gateway session that started it.</summary>
    public const string LinkSessionMissing = "oidc_link_session_missing";

    /// <summary><c>link=1</c> was asked for without a gateway session.</summary>
    public const string LinkNeedsSession = "oidc_link_needs_session";

    /// <summary>A back-channel logout token that is not signed by the provider, not for this gateway, stale, or not a logout token.</summary>
    public const string LogoutTokenInvalid = "oidc_logout_token_invalid";

    /// <summary>A back-channel logout token whose jti was already used.</summary>
    public const string LogoutTokenReplayed = "oidc_logout_token_replayed";

    /// <summary>Linking found the provider's account already belonging to another person.</summary>
    public const string IdentityConflict = "oidc_identity_conflict";
}
