using Microsoft.Extensions.Options;

namespace Gateway.Auth.Forwarding;

/// <summary>Settings under <c>Gateway:Proxy</c>.</summary>
public sealed class GatewayProxyOptions
{
    public const string SectionName = "Gateway:Proxy";

    /// <summary>Applied to every cluster whose yarp.json entry sets no <c>HttpRequest.ActivityTimeout</c>.</summary>
    public TimeSpan DefaultActivityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long connecting to a destination may take before the request fails with 502.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Client headers to strip besides the identity headers and <see cref="StrippedHeaders.Defaults"/>.</summary>
    public List<string> StripHeaders { get; set; } = [];

    /// <summary>Names from <see cref="StrippedHeaders.Defaults"/> to forward after all; identity headers cannot be listed.</summary>
    public List<string> ForwardHeaders { get; set; } = [];
}

internal sealed class GatewayProxyOptionsValidator : IValidateOptions<GatewayProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayProxyOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultActivityTimeout <= TimeSpan.Zero || options.DefaultActivityTimeout > TimeSpan.FromMinutes(30))
        {
            failures.Add($"{GatewayProxyOptions.SectionName}:DefaultActivityTimeout must be between 00:00:00.001 and 00:30:00.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add($"{GatewayProxyOptions.SectionName}:ConnectTimeout must be between 00:00:00.001 and 00:02:00.");
        }

        for (var i = 0; i < options.ForwardHeaders.Count; i++)
        {
            if (IdentityHeaderFilter.IsIdentityHeader(options.ForwardHeaders[i]))
            {
                failures.Add($"{GatewayProxyOptions.SectionName}:ForwardHeaders:{i} is '{options.ForwardHeaders[i]}', an identity header the gateway injects: a client must never set it.");
            }
        }

        foreach (var (list, names) in new[] { ("StripHeaders", options.StripHeaders), ("ForwardHeaders", options.ForwardHeaders) })
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (string.IsNullOrEmpty(names[i]) || !names[i].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    failures.Add($"{GatewayProxyOptions.SectionName}:{list}:{i} must be a header name (letters, digits, '-' and '_').");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
