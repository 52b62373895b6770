using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Auth.Storage.Ephemeral;

internal sealed class EphemeralStoreOptionsValidator : IValidateOptions<EphemeralStoreOptions>
{
    private const string Section = EphemeralStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EphemeralStoreOptions options)
    {
        var failures = new List<string>();

        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"{Section}:Provider must be Memory or Redis.");
        }

        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            failures.Add($"{Section}:KeyPrefix must be non-empty and contain no whitespace.");
        }
        else if (options.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            // A brace in the prefix would become every key's hash tag and put all keys in one Redis Cluster slot.
            failures.Add($"{Section}:KeyPrefix must not contain '{{' or '}}': the keys' own hash tags place them in Redis Cluster slots.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:OperationTimeout must be positive.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{Section}:ConnectTimeout must be positive and under 24 days.");
        }

        if (options.Provider == EphemeralStoreProvider.Redis)
        {
            if (string.IsNullOrWhiteSpace(options.Redis))
            {
                failures.Add($"{Section}:Redis is required when {Section}:Provider is Redis.");
            }
            else if (!IsParsable(options.Redis))
            {
                // The string may carry a password: name the setting, never echo its value.
                failures.Add($"{Section}:Redis is not a valid StackExchange.Redis configuration string.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsParsable(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
