using Microsoft.Extensions.Options;

namespace Gateway.Auth.Management;

/// <summary>Settings under <c>Management</c>.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>Callers of the management surface send <c>Authorization: Bearer {ApiKey}</c>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Wrong keys one client address may present per <see cref="FailedKeyWindow"/> before every attempt is 429.</summary>
    public int FailedKeyLimit { get; set; } = 10;

    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    internal const int MinimumKeyLength = 24;

    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        const string At = ManagementOptions.SectionName;
        var failures = new List<string>();
        if (options.ApiKey.Trim().Length < MinimumKeyLength)
        {
            failures.Add($"{At}:ApiKey is required and must be at least {MinimumKeyLength} characters: it guards the management surface.");
        }

        if (options.FailedKeyLimit is < 1 or > 10_000)
        {
            failures.Add($"{At}:FailedKeyLimit must be between 1 and 10000 (is {options.FailedKeyLimit}).");
        }

        if (options.FailedKeyWindow < TimeSpan.FromSeconds(1) || options.FailedKeyWindow > TimeSpan.FromHours(24))
        {
            failures.Add($"{At}:FailedKeyWindow must be between 00:00:01 and 1.00:00:00 (is {options.FailedKeyWindow}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
