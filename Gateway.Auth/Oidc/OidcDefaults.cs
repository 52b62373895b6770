namespace Gateway.Auth.Oidc;

/// <summary>Scheme names and paths of the OpenID Connect providers.</summary>
public static class OidcDefaults
{
    public const string SchemePrefix = "oidc:";

    public static string Scheme(string provider) => SchemePrefix + provider;

    public static string StartPath(string provider) => $"/auth/oidc/{provider}/start";

    public static string CallbackPath(string provider) => $"/auth/oidc/{provider}/callback";

    public static string SignedOutCallbackPath(string provider) => $"/auth/oidc/{provider}/signed-out";

    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 32 && key.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
