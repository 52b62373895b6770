using Gateway.Auth.Identity;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Profiles;

internal sealed class ProfileOptionsValidator : IValidateOptions<ProfileOptions>
{
    private const string At = ProfileOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ProfileOptions options)
    {
        var failures = new List<string>();
        if (options.MaxNicknameLength is < 1 or > IdentityLimits.MaxNicknameLength)
        {
            failures.Add($"{At}:MaxNicknameLength must be between 1 and {IdentityLimits.MaxNicknameLength} (code points).");
        }

        for (var i = 0; i < options.AvatarHosts.Count; i++)
        {
            var host = options.AvatarHosts[i];
            if (string.IsNullOrEmpty(host) || Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            {
                failures.Add($"{At}:AvatarHosts:{i} must be a bare host name such as cdn.example.com (no scheme, port, path or wildcard); got '{host}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
