using Microsoft.Extensions.Options;

namespace Gateway.Auth.Management;

/// <summary>Settings under <c>Management</c>.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>Callers of the management surface send <c>Authorization: Bearer {ApiKey}</c>.</summary>
    public string ApiKey { get; set; } = "";
}

internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    internal const int MinimumKeyLength = 24;

    public ValidateOptionsResult Validate(string? name, ManagementOptions options) =>
        options.ApiKey.Trim().Length >= MinimumKeyLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ManagementOptions.SectionName}:ApiKey is required and must be at least {MinimumKeyLength} characters: it guards the management surface.");
}
