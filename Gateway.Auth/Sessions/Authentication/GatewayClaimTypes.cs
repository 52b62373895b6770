namespace Gateway.Auth.Sessions.Authentication;

/// <summary>
/// The claim types of a gateway-session principal: what policies in <c>Gateway:Authorization:Policies</c> name.
/// Roles use <see cref="System.Security.Claims.ClaimTypes.Role"/>.
/// </summary>
public static class GatewayClaimTypes
{
    /// <summary>The gateway's person id; always present.</summary>
    public const string PersonId = "pid";

    /// <summary>Present only when the person's unionid is known; never the openid.</summary>
    public const string UnionId = "uid";

    public const string OpenId = "oid";

    public const string AppId = "app";

    /// <summary><c>official_account</c>, <c>website</c>, <c>mobile_app</c> or <c>mini_program</c>.</summary>
    public const string Channel = "channel";

    /// <summary>Present when the configured legacy user table knows the person.</summary>
    public const string LegacyUserId = "lid";

    /// <summary><c>true</c> once WeChat confirmed a phone number for the person; absent otherwise.</summary>
    public const string PhoneNumberVerified = "phone_number_verified";

    /// <summary>The <c>Oidc:Providers</c> key of an OpenID Connect sign-in; absent for WeChat sessions.</summary>
    public const string OidcProvider = "oidc_provider";

    /// <summary>The provider's issuer of an OpenID Connect sign-in.</summary>
    public const string OidcIssuer = "oidc_iss";

    /// <summary>The provider's <c>sub</c> of an OpenID Connect sign-in.</summary>
    public const string OidcSubject = "oidc_sub";

    /// <summary>The e-mail an OpenID Connect provider gave, when mapped; never used to find or link a person.</summary>
    public const string Email = "email";

    /// <summary><c>cookie</c> or <c>bearer</c>.</summary>
    public const string Transport = "transport";
}
