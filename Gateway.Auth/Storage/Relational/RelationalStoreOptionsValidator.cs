using Microsoft.Extensions.Options;

namespace Gateway.Auth.Storage.Relational;

internal sealed class RelationalStoreOptionsValidator : IValidateOptions<RelationalStoreOptions>
{
    private const string Section = RelationalStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RelationalStoreOptions options)
    {
        var failures = new List<string>();
        if (RelationalProviders.Parse(options.Provider) is null)
        {
            failures.Add($"{Section}:Provider '{options.Provider}' is not supported; valid values are {string.Join(", ", RelationalProviders.All)}.");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{Section}:ConnectionString is required.");
        }
        else if (RelationalProviders.Parse(options.Provider) is { } dialect && !RelationalConnections.TryValidate(dialect, options.ConnectionString, out var error))
        {
            failures.Add($"{Section}:ConnectionString is not a valid {options.Provider} connection string: {error}");
        }

        RequirePositive(failures, nameof(options.MaxConcurrency), options.MaxConcurrency);
        RequirePositive(failures, nameof(options.QueueTimeoutSeconds), options.QueueTimeoutSeconds);
        RequirePositive(failures, nameof(options.CommandTimeoutSeconds), options.CommandTimeoutSeconds);
        RequirePositive(failures, nameof(options.ConnectTimeoutSeconds), options.ConnectTimeoutSeconds);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string setting, int value)
    {
        if (value <= 0)
        {
            failures.Add($"{Section}:{setting} must be a positive number (was {value}).");
        }
    }
}
