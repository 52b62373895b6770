using Microsoft.Extensions.Options;

namespace Gateway.Auth.Oidc;

internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, provider) in options.Providers)
        {
            var prefix = $"{OidcOptions.SectionName}:Providers:{key}";
            if (!OidcDefaults.IsValidKey(key))
            {
                failures.Add($"{prefix}: the key must be 1 to 32 lowercase letters, digits or '-' (it appears in /auth/oidc/{{key}}/).");
            }

            if (!Uri.TryCreate(provider.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{prefix}:Authority must be an absolute http(s) URL (the issuer).");
            }
            else if (authority.Scheme == Uri.UriSchemeHttp && provider.RequireHttpsMetadata)
            {
                failures.Add($"{prefix}:Authority uses http: use https, or set {prefix}:RequireHttpsMetadata=false for a provider on loopback.");
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                failures.Add($"{prefix}:ClientId is required.");
            }

            var hasSecret = !string.IsNullOrEmpty(provider.ClientSecret);
            var hasFile = !string.IsNullOrEmpty(provider.SecretFile);
            if (hasSecret == hasFile)
            {
                failures.Add($"{prefix}: set exactly one of ClientSecret and SecretFile.");
            }
            else if (hasFile && !File.Exists(provider.SecretFile))
            {
                failures.Add($"{prefix}:SecretFile '{provider.SecretFile}' does not exist.");
            }

            if (provider.BackchannelTimeout <= TimeSpan.Zero || provider.BackchannelTimeout > TimeSpan.FromMinutes(1))
            {
                failures.Add($"{prefix}:BackchannelTimeout must be more than 0 and at most 00:01:00.");
            }

            if (provider.RequiredRoles.Count > 0 && string.IsNullOrEmpty(provider.RolesClaim))
            {
                failures.Add($"{prefix}:RequiredRoles needs {prefix}:RolesClaim, the claim they are read from.");
            }

            if (provider.AllowedDomains.Any(domain => string.IsNullOrWhiteSpace(domain) || domain.Contains('@', StringComparison.Ordinal)))
            {
                failures.Add($"{prefix}:AllowedDomains entries are domain names such as example.com.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
