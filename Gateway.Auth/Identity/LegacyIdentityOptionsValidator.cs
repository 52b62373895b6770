using Microsoft.Extensions.Options;

namespace Gateway.Auth.Identity;

internal sealed class LegacyIdentityOptionsValidator : IValidateOptions<LegacyIdentityOptions>
{
    private const string Section = LegacyIdentityOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, LegacyIdentityOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FindByUnionIdSql) && string.IsNullOrWhiteSpace(options.FindByOpenIdSql))
        {
            failures.Add($"{Section}:FindByUnionIdSql or {Section}:FindByOpenIdSql is required when {Section}:Enabled is true.");
        }

        CheckSelect(failures, nameof(options.FindByUnionIdSql), options.FindByUnionIdSql);
        CheckSelect(failures, nameof(options.FindByOpenIdSql), options.FindByOpenIdSql);
        if (options.ConnectionString is not null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{Section}:ConnectionString is empty; remove it to use the gateway's own database.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The text is the operator's, but it runs on every login: allow exactly one read statement.
    private static void CheckSelect(List<string> failures, string setting, string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            return;
        }

        var text = sql.Trim();
        if (!text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || text.Length == 6 || !char.IsWhiteSpace(text[6]))
        {
            failures.Add($"{Section}:{setting} must be a single SELECT statement.");
        }
        else if (text.Contains(';', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:{setting} must be a single SELECT statement without ';'.");
        }
    }
}
