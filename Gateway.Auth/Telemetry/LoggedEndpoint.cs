namespace Gateway.Auth.Telemetry;

/// <summary>
/// Marks an endpoint the access log writes a line for, and names it for the log and the metrics: a login flow
/// such as <c>miniprogram.login</c>. Proxied routes need no mark; their route id names them.
/// </summary>
public sealed class LoggedEndpoint(string kind, string name)
{
    public const string Login = "login";

    public string Kind { get; } = kind;

    public string Name { get; } = name;
}
