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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
