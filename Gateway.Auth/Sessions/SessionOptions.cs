using Microsoft.Extensions.Options;

namespace Gateway.Auth.Sessions;

/// <summary>Settings under <c>Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    public const string DefaultCookieName = "__Host-wgw-session";

    /// <summary>A session unused for this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after login, however active.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The browser session cookie; keep the <c>__Host-</c> prefix so no subdomain can set or shadow it.</summary>
    public string CookieName { get; set; } = DefaultCookieName;

    /// <summary>
    /// How long an instance trusts a session it checked in the store without checking again. Bounds how late a
    /// logout or revocation made on another instance takes effect here, hence at most one second.
    /// </summary>
    public TimeSpan LocalCacheDuration { get; set; } = TimeSpan.FromMilliseconds(500);
}

internal sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        const string Section = SessionOptions.SectionName;
        var failures = new List<string>();
        if (options.AbsoluteLifetime < TimeSpan.FromSeconds(1) || options.AbsoluteLifetime > TimeSpan.FromDays(90))
        {
            failures.Add($"{Section}:AbsoluteLifetime must be between 00:00:01 and 90.00:00:00 (is {options.AbsoluteLifetime}).");
        }

        if (options.IdleTimeout < TimeSpan.FromSeconds(1) || options.IdleTimeout > options.AbsoluteLifetime)
        {
            failures.Add($"{Section}:IdleTimeout must be at least 00:00:01 and at most {Section}:AbsoluteLifetime (is {options.IdleTimeout}).");
        }

        if (options.LocalCacheDuration < TimeSpan.Zero || options.LocalCacheDuration > TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}:LocalCacheDuration must be between 00:00:00 and 00:00:01: it bounds how late a revocation reaches other instances (is {options.LocalCacheDuration}).");
        }

        if (string.IsNullOrEmpty(options.CookieName) || !options.CookieName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            failures.Add($"{Section}:CookieName must be 1 or more letters, digits, '-', '_' or '.' (is '{options.CookieName}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
